"""Queues the conversion to PDF of existing document versions (B2), e.g. after an upgrade, after
installing LibreOffice, or for the demo's documents."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ...services import renditions_requeue, renditions_to_queue


class Command(BaseCommand):
    help = (
        "Chuyển (lại) các phiên bản tài liệu Office sang PDF để đọc trực tuyến, "
        "qua hàng đợi tác vụ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Cả những phiên bản đã chuyển xong.")
        parser.add_argument(
            "--failed",
            action="store_true",
            help="Thêm những phiên bản bị lỗi hoặc không chuyển được lần trước.",
        )
        parser.add_argument(
            "--now", action="store_true", help="Chuyển ngay tại đây, không qua hàng đợi."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        versions = renditions_to_queue(redo_failed=options["failed"], redo_all=options["all"])
        count = renditions_requeue(versions=versions, now=options["now"])
        self.stdout.write(f"{count}")
