"""The meeting in the room (B6, B10): which item is under discussion, and who asks to speak."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import AgendaItem, Invitation, Meeting


def default_minutes() -> int:
    return int(getattr(settings, "ROOM_SPEAKER_MINUTES", 3))


class RoomState(models.Model):
    """One row per meeting: the current item and the time each speaker gets. Every change in the
    room (an item started, a request, a turn) bumps `version` on this row, under its row lock, so
    that the room's screen asks one cheap question to know whether anything changed."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="room_state"
    )
    current_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("nội dung đang thảo luận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_per_speaker = models.PositiveSmallIntegerField(
        _("số phút mỗi lượt phát biểu"), default=default_minutes
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("điều hành phiên họp")
        verbose_name_plural = pgettext_lazy("plural", "điều hành phiên họp")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes_per_speaker__gte=1, minutes_per_speaker__lte=60),
                name="room_minutes_per_speaker_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.meeting)


class Speech(models.Model):
    """A request to speak on an item (đăng ký phát biểu) and, once given the floor, the turn."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        SPEAKING = "speaking", _("Đang phát biểu")
        DONE = "done", _("Đã phát biểu")
        WITHDRAWN = "withdrawn", _("Đã rút đăng ký")
        DROPPED = "dropped", _("Thư ký bỏ khỏi danh sách")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="speeches"
    )
    item = models.ForeignKey(
        AgendaItem, verbose_name=_("nội dung họp"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản đăng ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("thành phần mời"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as written when asked: the name the room saw, whatever the account becomes later.
    speaker_name = models.CharField(_("người phát biểu"), max_length=255)
    speaker_for = models.CharField(_("thuộc"), max_length=255, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    requested_at = models.DateTimeField(_("đăng ký lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    allotted_seconds = models.PositiveIntegerField(_("thời gian được giao (giây)"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lượt phát biểu")
        verbose_name_plural = pgettext_lazy("plural", "lượt phát biểu")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "user"],
                condition=models.Q(status="waiting"),
                name="room_one_waiting_request_per_person_item",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(status="speaking"),
                name="room_one_speaker_per_meeting",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status"], name="room_speech_meeting_status")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        # A unit's own account is named after the unit: no "Sở Tài chính (Sở Tài chính)".
        if not self.speaker_for or self.speaker_for == self.speaker_name:
            return self.speaker_name
        return f"{self.speaker_name} ({self.speaker_for})"

    def elapsed_seconds(self, now: datetime | None = None) -> int:
        if self.started_at is None:
            return 0
        end = self.ended_at or now or timezone.now()
        return max(0, int((end - self.started_at).total_seconds()))

    def remaining_seconds(self, now: datetime | None = None) -> int:
        """Negative when the speaker is over time."""
        return self.allotted_seconds - self.elapsed_seconds(now)

    def overtime_seconds(self, now: datetime | None = None) -> int:
        return max(0, -self.remaining_seconds(now))
