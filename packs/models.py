"""A meeting pack: one PDF of a meeting's documents for one set of versions (the key)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import Meeting


def pack_name(instance: "Pack", filename: str) -> str:
    """Generated names only, beside the documents in the same storage (local disk or S3)."""
    today = timezone.localdate()
    return f"packs/{today:%Y/%m}/{uuid.uuid4().hex}.pdf"


class Pack(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ chuẩn bị")
        RUNNING = "running", _("Đang chuẩn bị")
        DONE = "done", _("Đã sẵn sàng")
        FAILED = "failed", _("Chuẩn bị không thành công")

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
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    queued_at = models.DateTimeField(_("xếp hàng lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    seconds = models.FloatField(_("thời gian chuẩn bị (giây)"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài liệu họp trọn bộ")
        verbose_name_plural = pgettext_lazy("plural", "tài liệu họp trọn bộ")
        indexes = [models.Index(fields=["meeting", "reader"], name="pack_meeting_reader")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.reader_id or '-'}: {self.status}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
