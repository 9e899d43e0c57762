"""The text read from each document version (B3): what search looks in, what the text page shows."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.models import DocumentVersion


class VersionText(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ trích xuất")
        DONE = "done", _("Đã trích xuất")
        NO_TEXT = "no_text", _("Không có lớp chữ")
        ENCRYPTED = "encrypted", _("Tệp có mật khẩu, không đọc được")
        TOO_LARGE = "too_large", _("Tệp quá lớn để đọc")
        FAILED = "failed", _("Lỗi khi đọc tệp")
        UNSUPPORTED = "unsupported", _("Định dạng không đọc được chữ")

    version = models.OneToOneField(
        DocumentVersion,
        verbose_name=_("phiên bản tài liệu"),
        on_delete=models.CASCADE,
        related_name="text",
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # Pages of a PDF, slides of a presentation, sheets of a workbook; none for a text document.
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    truncated = models.BooleanField(_("chỉ đọc một phần"), default=False)
    text = models.TextField(_("nội dung"), blank=True)
    # doctext.folding.fold_aligned(text): same length, searched with "contains".
    folded = models.TextField(blank=True, editable=False)
    error = models.CharField(_("lỗi"), max_length=300, blank=True)
    queued_at = models.DateTimeField(_("xếp hàng lúc"), default=timezone.now)
    extracted_at = models.DateTimeField(_("trích xuất lúc"), null=True, blank=True)
    seconds = models.FloatField(_("thời gian trích xuất (giây)"), null=True, blank=True)

    class Meta:
        verbose_name = _("nội dung phiên bản tài liệu")
        verbose_name_plural = pgettext_lazy("plural", "nội dung phiên bản tài liệu")
        indexes = [models.Index(fields=["status"], name="doctext_status")]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.status}"

    @property
    def is_readable(self) -> bool:
        return self.status == self.Status.DONE
