"""A document version as PDF for the viewer (B2): Office and OpenDocument files, and images, are
converted once per version in the background; a PDF is read as it is and has no row here."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.models import DocumentVersion


def rendition_name(instance: "Rendition", filename: str) -> str:
    """Generated names only, beside the documents in the same storage (local disk or S3)."""
    today = timezone.localdate()
    return f"renditions/{today:%Y/%m}/{uuid.uuid4().hex}.pdf"


class Rendition(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ chuyển đổi")
        RUNNING = "running", _("Đang chuyển đổi")
        DONE = "done", _("Đã chuyển sang PDF")
        FAILED = "failed", _("Chuyển đổi không thành công")
        # The server has no LibreOffice, or the file is of a kind that cannot be shown.
        UNAVAILABLE = "unavailable", _("Không chuyển đổi được trên máy chủ này")

    version = models.OneToOneField(
        DocumentVersion,
        verbose_name=_("phiên bản tài liệu"),
        on_delete=models.CASCADE,
        related_name="rendition",
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("tệp PDF"), upload_to=rendition_name, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    queued_at = models.DateTimeField(_("xếp hàng lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    seconds = models.FloatField(_("thời gian chuyển đổi (giây)"), null=True, blank=True)

    class Meta:
        verbose_name = _("bản PDF để đọc")
        verbose_name_plural = pgettext_lazy("plural", "bản PDF để đọc")
        # The requeue command and the admin look for pending and stuck rows.
        indexes = [models.Index(fields=["status"], name="viewer_rendition_status")]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.status}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
