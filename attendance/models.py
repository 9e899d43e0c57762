"""Who an invitee sends (T1) and who came (T2)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Person
from core.models import TimeStampedModel
from meetings.models import Invitation


class Reply(TimeStampedModel):
    """An invitee's answer: it attends (with the attendees below) or declines with a reason."""

    invitation = models.OneToOneField(
        Invitation, verbose_name=_("thành phần mời"), on_delete=models.CASCADE, related_name="reply"
    )
    declined = models.BooleanField(_("không tham dự"), default=False)
    decline_reason = models.TextField(_("lý do không tham dự"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("trả lời giấy mời")
        verbose_name_plural = pgettext_lazy("plural", "trả lời giấy mời")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(declined=False) | ~models.Q(decline_reason=""),
                name="decline_has_reason",
            )
        ]

    def __str__(self) -> str:
        return str(self.invitation)


class Attendee(models.Model):
    """A named attendee: one of the unit's personnel, or a name typed in."""

    reply = models.ForeignKey(
        Reply, verbose_name=_("trả lời"), on_delete=models.CASCADE, related_name="attendees"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("nhân sự"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("người dự họp")
        verbose_name_plural = pgettext_lazy("plural", "người dự họp")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.position}" if self.position else self.full_name


class Presence(models.Model):
    """The roll (T2): one mark per named attendee, kept as the secretary changes it; an invitee
    that named nobody (a unit that did not reply or declined, a committee, an invited person)
    has one mark of its own, with no attendee.

    A mark of the invitee itself while it has named attendees (taken before they were named,
    or written outside the services) counts for each of them that has no mark of their own:
    attendance.selectors.roll_entries reads it so, and the services replace it by one mark per
    attendee as soon as the roll or the reply is touched."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Có mặt")
        ONLINE = "online", _("Có mặt trực tuyến")
        ABSENT = "absent", _("Vắng mặt")
        SUBSTITUTE = "substitute", _("Dự thay")

    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("thành phần mời"),
        on_delete=models.CASCADE,
        related_name="presences",
    )
    attendee = models.OneToOneField(
        Attendee,
        verbose_name=_("người dự họp"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="presence",
    )
    status = models.CharField(_("điểm danh"), max_length=20, choices=Status.choices)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    substitute_name = models.CharField(_("họ tên người dự thay"), max_length=150, blank=True)
    substitute_position = models.CharField(_("chức vụ người dự thay"), max_length=150, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người điểm danh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("điểm danh lúc"), auto_now=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = pgettext_lazy("plural", "điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation"],
                condition=models.Q(attendee__isnull=True),
                name="one_invitee_mark",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="absent") | ~models.Q(reason=""),
                name="absence_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="substitute") | ~models.Q(substitute_name=""),
                name="substitute_has_name",
            ),
        ]

    def __str__(self) -> str:
        who = f"{self.invitation}: {self.attendee}" if self.attendee_id else str(self.invitation)
        return f"{who} – {self.get_status_display()}"
