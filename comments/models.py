"""Invitees' comments on a meeting (C1) and the secretary's consolidated summary (C2)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Unit
from core.models import TimeStampedModel
from documents.models import Document, storage_name
from meetings.models import Meeting

MAX_COMMENT_LENGTH = 10_000


class Comment(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người góp ý"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("về tài liệu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
    )
    body = models.TextField(_("nội dung góp ý"), max_length=MAX_COMMENT_LENGTH)
    file = models.FileField(_("tệp đính kèm"), upload_to=storage_name, max_length=255, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    file_type = models.CharField(max_length=150, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = pgettext_lazy("plural", "ý kiến góp ý")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["meeting", "id"]),
            models.Index(fields=["meeting", "unit"]),
            # A unit's comments of one month: the statistics' kept counts (reports.figures).
            models.Index(fields=["unit", "created_at"], name="comment_unit_created"),
        ]

    def __str__(self) -> str:
        return self.body[:80]


class Summary(TimeStampedModel):
    """Tổng hợp ý kiến: written by the secretary after the meeting."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.PROTECT, related_name="summary"
    )
    body = models.TextField(_("tổng hợp ý kiến"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tổng hợp"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tổng hợp ý kiến")
        verbose_name_plural = pgettext_lazy("plural", "tổng hợp ý kiến")

    def __str__(self) -> str:
        return str(self.meeting)
