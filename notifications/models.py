"""Notifications (M5): each notifiable happening on a meeting is one Event; it reaches each account
once in the in-app inbox (Notification) and each e-mail address once through the durable outbox
(OutboxMessage). Both are written in the transaction of the change that causes them, so a change
that is saved is always notified and a change that is rolled back never is."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Committee, Person, Unit
from meetings.models import Meeting, MeetingChange


class Event(models.Model):
    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Giấy mời họp")
        INVITED = "invited", _("Được mời bổ sung")
        CHANGED = "changed", _("Thay đổi thông tin cuộc họp")
        UNINVITED = "uninvited", _("Không còn trong thành phần mời")
        POSTPONED = "postponed", _("Hoãn cuộc họp")
        CANCELLED = "cancelled", _("Huỷ cuộc họp")
        REMINDER = "reminder", _("Nhắc lịch họp")
        COMMENTS_CLOSING = "comments_closing", _("Sắp hết hạn góp ý")
        MINUTES = "minutes", _("Biên bản cuộc họp")
        # Not about a meeting: a later capability's message (a written-opinion request, say),
        # told by its title, body and link (notifications.services.notify).
        NOTICE = "notice", _("Thông báo")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("cuộc họp"),
        on_delete=models.CASCADE,
        related_name="events",
        null=True,
        blank=True,
    )
    # A notice's own words and the page it points to (a path on this site); blank for a meeting's.
    title = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    kind = models.CharField(_("loại thông báo"), max_length=30, choices=Kind.choices)
    # The meeting as it was when the event happened (notifications.ics.snapshot).
    snapshot = models.JSONField(default=dict)
    # What changed: [{"kind", "label", "summary", "details"}] from the meeting's history.
    changes = models.JSONField(default=list, blank=True)
    # REQUEST or CANCEL, for the attached invitation.
    method = models.CharField(max_length=10, default="REQUEST")
    # Set for events that must happen once per meeting whatever restarts (reminders).
    key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sự kiện thông báo")
        verbose_name_plural = pgettext_lazy("plural", "sự kiện thông báo")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        title = self.title or self.snapshot.get("title", self.meeting_id)
        return f"{self.get_kind_display()} – {title}"

    def change_lines(self) -> list[tuple[str, str, list[list[str]]]]:
        """(label in the reader's language, summary, [field, before, after]) per change."""
        lines = []
        for change in self.changes or []:
            kind = change.get("kind", "")
            label = (
                str(MeetingChange.Kind(kind).label)
                if kind in MeetingChange.Kind.values
                else change.get("label", "")
            )
            lines.append((label, change.get("summary", ""), change.get("details", [])))
        return lines


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One line of an account's inbox (the bell)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.ForeignKey(
        Event, verbose_name=_("sự kiện"), on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = pgettext_lazy("plural", "thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_notification_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event}"


class AccountNotice(models.Model):
    """Something that happened to an account's security that its owner should hear of at once,
    even if it was not them (B8): the password reset by the admin, or changed. Sent by e-mail
    through the same outbox as the meetings' messages."""

    class Kind(models.TextChoices):
        PASSWORD_RESET = "password_reset", _("Mật khẩu được đặt lại")
        PASSWORD_CHANGED = "password_changed", _("Mật khẩu được thay đổi")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="account_notices",
    )
    kind = models.CharField(_("loại thông báo"), max_length=30, choices=Kind.choices)
    # Who did it: the admin's name for a reset.
    by_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("thông báo tài khoản")
        verbose_name_plural = pgettext_lazy("plural", "thông báo tài khoản")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.user_id}"


class OutboxMessage(models.Model):
    """One message on one channel (an e-mail to one address, an SMS to one number) about a meeting
    (event) or an account (notice). Workers claim rows (see notifications.delivery), so two
    workers never send the same row; a failed attempt waits with a growing delay."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    event = models.ForeignKey(
        Event,
        verbose_name=_("sự kiện"),
        on_delete=models.CASCADE,
        related_name="messages",
        null=True,
        blank=True,
    )
    notice = models.ForeignKey(
        AccountNotice,
        verbose_name=_("thông báo tài khoản"),
        on_delete=models.CASCADE,
        related_name="messages",
        null=True,
        blank=True,
    )
    # The channel that sends the row (notifications.channels): its name, and the address on it.
    channel = models.CharField(
        _("kênh"), max_length=20, choices=Channel.choices, default=Channel.EMAIL
    )
    to_email = models.EmailField(_("gửi tới"), max_length=254, blank=True)
    # A mobile number in international form without "+" (84912345678), for SMS.
    to_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    to_name = models.CharField(_("tên người nhận"), max_length=255, blank=True)
    # Whom the address belongs to, so that the receipt page can show delivery per invitee.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư điện tử")
        verbose_name_plural = pgettext_lazy("plural", "thư điện tử")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "to_email"],
                condition=models.Q(channel="email"),
                name="one_message_per_address",
            ),
            models.UniqueConstraint(
                fields=["event", "channel", "to_phone"],
                condition=~models.Q(channel="email"),
                name="one_text_per_number",
            ),
            models.CheckConstraint(
                condition=models.Q(event__isnull=False, notice__isnull=True)
                | models.Q(event__isnull=True, notice__isnull=False),
                name="outbox_message_about_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to_email or self.to_phone}: {self.event or self.notice}"

    @property
    def address(self) -> str:
        return self.to_phone if self.channel != self.Channel.EMAIL else self.to_email


class NoticeChannel(models.Model):
    """How an account wants one kind of notice: by e-mail (the default, when there is no row),
    by SMS, or both. The in-app inbox always gets it."""

    class Choice(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")
        BOTH = "both", _("Cả thư điện tử và SMS")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="notice_channels",
    )
    kind = models.CharField(_("loại thông báo"), max_length=30, choices=Event.Kind.choices)
    choice = models.CharField(
        _("nhận qua"), max_length=10, choices=Choice.choices, default=Choice.EMAIL
    )

    class Meta:
        verbose_name = _("cách nhận thông báo")
        verbose_name_plural = pgettext_lazy("plural", "cách nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_channel_choice_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} → {self.choice}"
