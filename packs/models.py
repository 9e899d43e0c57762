"""A meeting pack: one PDF of a meeting's documents for one set of versions (the key)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import FileJob, JobStatus
from meetings.models import Meeting


def pack_name(instance: "Pack", filename: str) -> str:
    """Generated names only, beside the documents in the same storage (local disk or S3)."""
    today = timezone.localdate()
    return f"packs/{today:%Y/%m}/{uuid.uuid4().hex}.pdf"


class Pack(FileJob):
    class Status(models.TextChoices):
        PENDING = JobStatus.PENDING, _("Đang chờ chuẩn bị")
        RUNNING = JobStatus.RUNNING, _("Đang chuẩn bị")
        DONE = JobStatus.DONE, _("Đã sẵn sàng")
        FAILED = JobStatus.FAILED, _("Chuẩn bị không thành công")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="packs"
    )
    # Empty for the pack every reader of the meeting shares; set when the pack holds restricted
    # documents stamped for this reader (packs.plan).
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đọc"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # SHA-256 of what the pack holds: the meeting's details, the agenda, each document's current
    # version and PDF, and the reader's restricted set. Another key is another pack.
    key = models.CharField(_("khoá nội dung"), max_length=64, unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("tệp PDF"), upload_to=pack_name, max_length=255, blank=True)
    seconds = models.FloatField(_("thời gian chuẩn bị (giây)"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài liệu họp trọn bộ")
        verbose_name_plural = pgettext_lazy("plural", "tài liệu họp trọn bộ")
        indexes = [models.Index(fields=["meeting", "reader"], name="pack_meeting_reader")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.reader_id or '-'}: {self.status}"
