"""A document version as PDF for the viewer (B2): Office and OpenDocument files, and images, are
converted once per version in the background; a PDF is read as it is and has no row here."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import FileJob, JobStatus
from documents.models import DocumentVersion


def rendition_name(instance: "Rendition", filename: str) -> str:
    """Generated names only, beside the documents in the same storage (local disk or S3)."""
    today = timezone.localdate()
    return f"renditions/{today:%Y/%m}/{uuid.uuid4().hex}.pdf"


class Rendition(FileJob):
    class Status(models.TextChoices):
        PENDING = JobStatus.PENDING, _("Đang chờ chuyển đổi")
        RUNNING = JobStatus.RUNNING, _("Đang chuyển đổi")
        DONE = JobStatus.DONE, _("Đã chuyển sang PDF")
        FAILED = JobStatus.FAILED, _("Chuyển đổi không thành công")
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
    seconds = models.FloatField(_("thời gian chuyển đổi (giây)"), null=True, blank=True)

    class Meta:
        verbose_name = _("bản PDF để đọc")
        verbose_name_plural = pgettext_lazy("plural", "bản PDF để đọc")
        # The requeue command and the admin look for pending and stuck rows.
        indexes = [models.Index(fields=["status"], name="viewer_rendition_status")]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.status}"
