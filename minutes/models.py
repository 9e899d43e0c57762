"""The minutes of a meeting (biên bản, B7): versions of its text, the chair's approval, its number.

Every save is a new `MinutesVersion` (nothing is overwritten); `Minutes.approved_version` is the
one published to the invitees, and stays published while a later draft waits for approval.
`MinutesEvent` is the minutes' own history (drafted, edited, regenerated, approved, returned),
shown on the minutes page; the audit log keeps the field changes besides."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from meetings.models import Meeting

# A day's minutes are a few pages; this bounds a pasted novel, not a real record.
MAX_SECTION_LENGTH = 100_000


class Minutes(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo, chờ phê duyệt")
        RETURNED = "returned", _("Chủ trì trả lại để sửa")
        APPROVED = "approved", _("Đã phê duyệt")

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="minutes"
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Số và ký hiệu, e.g. "12/BB-VPUBND": given at approval, kept for later approvals.
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    # Địa danh: the place before the date ("Hà Giang, ngày ...").
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    approved_version = models.ForeignKey(
        "MinutesVersion",
        verbose_name=_("phiên bản đã phê duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)

    class Meta:
        verbose_name = _("biên bản họp")
        verbose_name_plural = pgettext_lazy("plural", "biên bản họp")

    def __str__(self) -> str:
        return str(self.meeting)

    def get_absolute_url(self) -> str:
        return reverse("minutes:detail", args=[self.meeting_id])

    @property
    def is_published(self) -> bool:
        return self.approved_version_id is not None


class MinutesVersion(models.Model):
    """One saved text of the minutes; never changed once written."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("biên bản"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    subject = models.CharField(_("trích yếu"), max_length=500)
    # A draft may leave a section empty (a meeting with nothing recorded in the room); the
    # approval asks for both (services.minutes_approve).
    attendance = models.TextField(
        _("thành phần tham dự"), blank=True, max_length=MAX_SECTION_LENGTH
    )
    proceedings = models.TextField(
        _("nội dung, diễn biến"), blank=True, max_length=MAX_SECTION_LENGTH
    )
    conclusions = models.TextField(_("kết luận"), blank=True, max_length=MAX_SECTION_LENGTH)
    recipients = models.TextField(_("nơi nhận"), blank=True, max_length=2000)
    generated = models.BooleanField(_("lập từ dữ liệu"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lưu"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lưu lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản biên bản")
        verbose_name_plural = pgettext_lazy("plural", "phiên bản biên bản")
        ordering = ["minutes", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="unique_minutes_version")
        ]

    def __str__(self) -> str:
        return f"{self.minutes_id} v{self.number}"

    SECTIONS = ("subject", "attendance", "proceedings", "conclusions", "recipients")

    def text(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.SECTIONS}


class MinutesEvent(models.Model):
    """The minutes' history, for the page: who did what to which version, and why."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("Lập dự thảo từ dữ liệu cuộc họp")
        EDITED = "edited", _("Sửa biên bản")
        REGENERATED = "regenerated", _("Lập lại từ dữ liệu")
        APPROVED = "approved", _("Phê duyệt và công bố")
        RETURNED = "returned", _("Trả lại để sửa")

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("biên bản"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("việc"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("phiên bản"))
    note = models.TextField(_("ghi chú"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử biên bản")
        verbose_name_plural = pgettext_lazy("plural", "lịch sử biên bản")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["minutes", "at"], name="minutes_event_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"
