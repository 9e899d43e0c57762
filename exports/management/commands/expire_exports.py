"""Mark approved exports whose 7 days are over as expired (D1). Run daily; the download page
also marks a request expired when its requester comes back too late."""

from typing import Any

from django.core.management.base import BaseCommand

from exports.services import export_expire_due


class Command(BaseCommand):
    help = "Đánh dấu hết hạn các đề nghị kết xuất đã quá 7 ngày kể từ khi phê duyệt."

    def handle(self, *args: Any, **options: Any) -> None:
        count = export_expire_due()
        self.stdout.write(f"{count}")
