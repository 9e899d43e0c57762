"""Approved archive exports (D1): a clerk asks, a leader decides, the requester downloads.

The archive itself is not stored: it is streamed at download time from the meetings fixed at
approval, so that no second copy of official documents lies around after the 7 days.
"""

from datetime import datetime, timedelta
from typing import Final

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Unit
from core.models import TimeStampedModel
from meetings.models import Meeting

VALID_FOR: Final = timedelta(days=7)
MAX_RANGE_DAYS: Final = 366
MAX_PURPOSE_LENGTH: Final = 2000


class ExportRequest(TimeStampedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã phê duyệt")
        REFUSED = "refused", _("Bị từ chối")
        EXPIRED = "expired", _("Hết hạn")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        on_delete=models.PROTECT,
        related_name="export_requests",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị đề nghị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_requests",
    )
    date_from = models.DateField(_("từ ngày"))
    date_to = models.DateField(_("đến ngày"))
    purpose = models.TextField(_("mục đích kết xuất"), max_length=MAX_PURPOSE_LENGTH)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    approved_until = models.DateTimeField(_("được tải đến"), null=True, blank=True)
    # The meetings the leader approved, fixed at approval: what is downloaded is what was approved.
    meetings: "models.ManyToManyField[Meeting, models.Model]" = models.ManyToManyField(
        Meeting, verbose_name=_("cuộc họp"), related_name="+", blank=True
    )
    download_count = models.PositiveIntegerField(_("số lần tải"), default=0)
    last_downloaded_at = models.DateTimeField(_("tải lần cuối lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đề nghị kết xuất hồ sơ")
        verbose_name_plural = pgettext_lazy("plural", "đề nghị kết xuất hồ sơ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "unit"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")),
                name="export_range_not_reversed",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="export_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_until__isnull=False),
                name="export_approval_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return _("Hồ sơ lưu trữ %(start)s – %(end)s") % {
            "start": f"{self.date_from:%d/%m/%Y}",
            "end": f"{self.date_to:%d/%m/%Y}",
        }

    def is_past_due(self, now: datetime | None = None) -> bool:
        return (
            self.status == self.Status.APPROVED
            and self.approved_until is not None
            and self.approved_until <= (now or timezone.now())
        )

    @property
    def effective_status(self) -> str:
        """What the pages show: an approval past its 7 days is expired, marked or not yet."""
        return str(self.Status.EXPIRED) if self.is_past_due() else str(self.status)

    def get_effective_status_display(self) -> str:
        return str(self.Status(self.effective_status).label)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.APPROVED and not self.is_past_due()
