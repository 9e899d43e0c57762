"""Queues the text extraction of existing document versions (B3), e.g. after an upgrade or for the
demo's documents."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q

from documents.models import DocumentVersion

from ...models import VersionText
from ...services import text_extract, texts_requeue


class Command(BaseCommand):
    help = "Trích xuất (lại) nội dung chữ của các phiên bản tài liệu, qua hàng đợi tác vụ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="Cả những phiên bản đã trích xuất xong."
        )
        parser.add_argument(
            "--failed", action="store_true", help="Thêm những phiên bản bị lỗi lần trước."
        )
        parser.add_argument(
            "--now", action="store_true", help="Trích xuất ngay tại đây, không qua hàng đợi."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        versions = DocumentVersion.objects.order_by("pk")
        if not options["all"]:
            # Never read, or queued and never finished (a worker stopped, a broker was down).
            again = Q(text__isnull=True) | Q(text__status=VersionText.Status.PENDING)
            if options["failed"]:
                again |= Q(text__status=VersionText.Status.FAILED)
            versions = versions.filter(again)
        if options["now"]:
            ids = list(versions.values_list("pk", flat=True))
            for pk in ids:
                text_extract(version_id=pk)
            count = len(ids)
        else:
            count = texts_requeue(versions=versions)
        self.stdout.write(f"{count}")
