"""Meetings (M1, M2, M4, M6), their invitees and the history invitees see, receipt (M7)."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Committee, Person, Unit
from catalogs.models import Location, MeetingField, MeetingForm, MeetingType
from core.models import TimeStampedModel, field_label
from core.text import fold


class MeetingQuerySet(models.QuerySet):
    def alive(self) -> "MeetingQuerySet":
        return self.filter(deleted_at__isnull=True)


class MeetingSeries(models.Model):
    """Meetings held on a rule (the weekly briefing, a monthly review). Each occurrence is a meeting
    of its own, with its own documents, invitees and status; the series only links them and keeps
    the rule they were made on, as an iCalendar RRULE (RFC 5545) read by dateutil."""

    rule = models.CharField(_("quy tắc lặp"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("chuỗi cuộc họp")
        verbose_name_plural = pgettext_lazy("plural", "chuỗi cuộc họp")

    def __str__(self) -> str:
        return self.rule


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đã phát hành")
        POSTPONED = "postponed", _("Hoãn")
        CANCELLED = "cancelled", _("Huỷ")

    class Phase(models.TextChoices):
        """What the status and the clock say together (M6)."""

        DRAFT = "draft", _("Dự thảo")
        UPCOMING = "upcoming", _("Sắp diễn ra")
        IN_PROGRESS = "in_progress", _("Đang diễn ra")
        ENDED = "ended", _("Đã kết thúc")
        POSTPONED = "postponed", _("Hoãn")
        CANCELLED = "cancelled", _("Huỷ")

    title = models.CharField(_("tên cuộc họp"), max_length=500)
    agenda = models.TextField(_("nội dung, chương trình"), blank=True)
    start_at = models.DateTimeField(_("bắt đầu"), db_index=True)
    end_at = models.DateTimeField(_("kết thúc"))
    location = models.ForeignKey(
        Location,
        verbose_name=_("phòng họp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    online_link = models.URLField(_("đường dẫn họp trực tuyến"), max_length=500, blank=True)
    form = models.ForeignKey(
        MeetingForm, verbose_name=_("hình thức"), on_delete=models.PROTECT, related_name="+"
    )
    type = models.ForeignKey(
        MeetingType, verbose_name=_("loại cuộc họp"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        MeetingField,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chair = models.ForeignKey(
        Person,
        verbose_name=_("chủ trì"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_meetings",
    )
    organiser_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị tổ chức"),
        on_delete=models.PROTECT,
        related_name="organised_meetings",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thư ký cuộc họp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_as_secretary",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        related_name="meetings_created",
    )
    is_public = models.BooleanField(
        _("công khai lịch họp"),
        default=True,
        help_text=_("Bỏ chọn để cuộc họp không bao giờ hiện trên lịch họp công khai."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    status_reason = models.TextField(_("lý do hoãn/huỷ"), blank=True)
    published_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)
    late_reason = models.TextField(
        _("lý do phát hành muộn"),
        blank=True,
        help_text=_("Bắt buộc khi phát hành muộn hơn số ngày báo trước của loại cuộc họp."),
    )
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("chuỗi cuộc họp"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    # Optimistic concurrency: every save bumps it; a form posted with an older one is refused.
    revision = models.PositiveIntegerField(_("phiên bản"), default=1)
    deleted_at = models.DateTimeField(_("xoá lúc"), null=True, blank=True)
    deleted_reason = models.TextField(_("lý do xoá"), blank=True)
    # Folded copies for search (core.text.fold), kept by save(): the title alone (ranked first),
    # what the public schedule shows, and everything an invitee sees.
    search_title = models.TextField(editable=False, default="")
    search_public = models.TextField(editable=False, default="")
    search_all = models.TextField(editable=False, default="")

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc họp")
        verbose_name_plural = pgettext_lazy("plural", "cuộc họp")
        ordering = ["-start_at", "-id"]
        indexes = [
            models.Index(fields=["status", "start_at"]),
            # Dashboards ask for the meetings that have not ended yet, and for those still going
            # at a time (ended after it, started before it: both read from the index).
            models.Index(fields=["end_at", "start_at"], name="meeting_end_start"),
            # The statistics' list of meetings published late, newest first.
            models.Index(
                fields=["start_at"], name="meeting_late_start", condition=~models.Q(late_reason="")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_at__gt=models.F("start_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    SEARCH_FIELDS = ("search_title", "search_public", "search_all")

    def refresh_search(self) -> None:
        public = [
            self.title,
            self.organiser_unit.name if self.organiser_unit_id else "",
            self.organiser_unit.short_name if self.organiser_unit_id else "",
            self.location.name if self.location is not None else "",
            self.chair.full_name if self.chair is not None else "",
        ]
        self.search_title = fold(self.title)
        self.search_public = fold(" ".join(public))
        self.search_all = fold(" ".join([*public, self.agenda]))

    def save(self, *args, **kwargs) -> None:
        self.refresh_search()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.SEARCH_FIELDS}
        super().save(*args, **kwargs)

    def phase_at(self, now: datetime) -> str:
        if self.status != self.Status.PUBLISHED:
            return str(self.status)
        if now < self.start_at:
            return self.Phase.UPCOMING
        if now < self.end_at:
            return self.Phase.IN_PROGRESS
        return self.Phase.ENDED

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    def get_phase_display(self) -> str:
        return str(self.Phase(self.phase).label)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_running(self) -> bool:
        """What happens in the room (votes, the speaker list, the current item) happens while
        the meeting is published: neither a draft, postponed, cancelled nor deleted."""
        return self.status == self.Status.PUBLISHED and self.deleted_at is None


class AgendaItem(models.Model):
    """One item of a meeting's agenda (nội dung họp), in order: what is discussed, who presents
    it, for how long; documents may be attached to it (documents.Document.agenda_item)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=1)
    title = models.TextField(_("nội dung"))
    presenter = models.CharField(_("người trình bày"), max_length=255, blank=True)
    planned_minutes = models.PositiveSmallIntegerField(
        _("thời lượng dự kiến (phút)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("nội dung họp")
        verbose_name_plural = pgettext_lazy("plural", "nội dung họp")
        ordering = ["meeting", "position", "id"]
        indexes = [models.Index(fields=["meeting", "position"], name="agenda_item_order")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Invitation(models.Model):
    """One invitee of a meeting: a unit, a steering committee (reaching its members) or a person."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="invitations"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("ban chỉ đạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("cá nhân"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("mời lúc"), auto_now_add=True)
    # The meeting's start, kept beside the invitation by the database itself (triggers of
    # migration 0011, on both engines: whatever writes a meeting or an invitation, the ORM, a
    # bulk update or by hand), so that "a unit's invitations in start order" is read from one
    # index and stops at what it needs, instead of looking up each of the unit's meetings (a
    # thousand at a province's size). What the application writes here is replaced.
    meeting_start_at = models.DateTimeField(_("bắt đầu"), null=True, editable=False)
    # Whether the meeting is listed to its invitees (neither a draft nor deleted), kept the same
    # way (triggers of migration 0013), so that a unit's meeting list reads its page and its
    # count from one index of its invitations, without looking up each meeting.
    meeting_listed = models.BooleanField(
        _("hiện với thành phần mời"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("thành phần mời")
        verbose_name_plural = pgettext_lazy("plural", "thành phần mời")
        ordering = ["id"]
        # "Which meetings invite me?" read from the index alone (meetings.selectors.visible_ids).
        indexes = [
            models.Index(fields=["unit", "meeting"], name="invitation_unit_meeting"),
            models.Index(fields=["committee", "meeting"], name="invitation_committee_meeting"),
            models.Index(fields=["person", "meeting"], name="invitation_person_meeting"),
            # A unit's invitations in their meetings' start order (the to-do list's invitations to
            # answer, the dashboard's meetings).
            models.Index(fields=["unit", "meeting_start_at"], name="invitation_unit_start"),
            # A unit's meeting list: its listed meetings' invitations in start order.
            models.Index(
                fields=["unit", "meeting_start_at", "meeting"],
                name="invitation_unit_listed",
                condition=models.Q(meeting_listed=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(unit__isnull=False, committee__isnull=True, person__isnull=True)
                    | models.Q(unit__isnull=True, committee__isnull=False, person__isnull=True)
                    | models.Q(unit__isnull=True, committee__isnull=True, person__isnull=False)
                ),
                name="invitation_has_one_invitee",
            ),
            models.UniqueConstraint(fields=["meeting", "unit"], name="unique_invited_unit"),
            models.UniqueConstraint(
                fields=["meeting", "committee"], name="unique_invited_committee"
            ),
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_invited_person"),
        ]

    def __str__(self) -> str:
        return str(self.invitee)

    @property
    def invitee(self) -> Unit | Committee | Person | None:
        """Exactly one on a saved row (invitation_has_one_invitee); none yet on a blank one."""
        return self.unit or self.committee or self.person

    @property
    def kind(self) -> str:
        return self.kind_of(self.unit_id, self.committee_id)

    @staticmethod
    def kind_of(unit_id: int | None, committee_id: int | None) -> str:
        """An invitation's kind by its invitee's ids (`kind`)."""
        return "unit" if unit_id else "committee" if committee_id else "person"

    def get_kind_display(self) -> str:
        return str(self.KIND_LABELS[self.kind])

    KIND_LABELS = {"unit": _("Đơn vị"), "committee": _("Ban chỉ đạo"), "person": _("Cá nhân")}


class MeetingChange(models.Model):
    """The meeting's history, shown to invitees after publishing, and the events the notifications
    capability delivers (`notified_at` stays empty until it has)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Tạo dự thảo")
        PUBLISHED = "published", _("Phát hành")
        EDITED = "edited", _("Sửa thông tin")
        POSTPONED = "postponed", _("Hoãn")
        CANCELLED = "cancelled", _("Huỷ")
        INVITEE_ADDED = "invitee_added", _("Thêm thành phần mời")
        INVITEE_CHANGED = "invitee_changed", _("Sửa thành phần mời")
        INVITEE_REMOVED = "invitee_removed", _("Bỏ thành phần mời")
        DOCUMENT_ADDED = "document_added", _("Thêm tài liệu")
        DOCUMENT_REPLACED = "document_replaced", _("Thay tài liệu bằng phiên bản mới")
        DOCUMENT_REMOVED = "document_removed", _("Xoá tài liệu")
        DELETED = "deleted", _("Xoá cuộc họp")
        COPIED = "copied", _("Tạo bản sao")
        # In the room (voting, room): what the meeting did, for its history.
        ITEM_STARTED = "item_started", _("Chuyển sang nội dung họp")
        # "history": the same words as the button that opens a vote, read here as what happened.
        VOTE_OPENED = "vote_opened", pgettext_lazy("history", "Mở biểu quyết")
        VOTE_CLOSED = "vote_closed", _("Kết quả biểu quyết")
        SPOKE = "spoke", _("Phát biểu")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("loại thay đổi"), max_length=30, choices=Kind.choices)
    summary = models.TextField(_("nội dung thay đổi"), blank=True)
    # {"field label": [before, after]} for edits; the invitee or document concerned otherwise.
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    # Which invitee an invitee change concerns, so that notifications reach exactly them.
    invitation_unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation_committee = models.ForeignKey(
        Committee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visible_to_invitees = models.BooleanField(default=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    notified_at = models.DateTimeField(_("đã thông báo lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lịch sử thay đổi")
        verbose_name_plural = pgettext_lazy("plural", "lịch sử thay đổi")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.meeting_id}"

    def detail_rows(self) -> list[tuple[str, str, str]]:
        """(label in the reader's language, before, after) for the fields an edit changed."""
        rows = []
        # PostgreSQL's jsonb keeps no key order: show the fields in the form's order.
        order = [f.name for f in Meeting._meta.get_fields()]
        details = self.details or {}
        for name in sorted(details, key=lambda n: order.index(n) if n in order else len(order)):
            values = details[name]
            if not isinstance(values, list) or len(values) != 2:
                continue
            try:
                label = field_label(Meeting, name)
            except FieldDoesNotExist:
                label = (
                    str(Invitation._meta.get_field("note").verbose_name) if name == "note" else name
                )
            rows.append((label, str(values[0]), str(values[1])))
        return rows


class Receipt(models.Model):
    """Per account (and its unit): when it first and last opened the meeting (M7). Later
    capabilities fill the remaining columns."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("cuộc họp"),
        on_delete=models.CASCADE,
        related_name="receipts",
        db_index=False,  # unique_receipt_per_user below leads with it
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="meeting_receipts",
        db_index=False,  # receipt_user_meeting below leads with it
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_viewed_at = models.DateTimeField(_("xem lần đầu"), null=True, blank=True)
    last_viewed_at = models.DateTimeField(_("xem lần cuối"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("số lần xem"), default=0)
    notified_at = models.DateTimeField(_("đã thông báo lúc"), null=True, blank=True)
    attendees_named_at = models.DateTimeField(_("đã cử người dự lúc"), null=True, blank=True)
    commented_at = models.DateTimeField(_("đã góp ý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("theo dõi nhận tài liệu")
        verbose_name_plural = pgettext_lazy("plural", "theo dõi nhận tài liệu")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="unique_receipt_per_user")
        ]
        indexes = [
            # The reports ask "did an account of this unit open this meeting before it started?"
            models.Index(fields=["meeting", "unit", "first_viewed_at"]),
            # "Which meetings has this account opened?", the `seen` of every row of its lists,
            # read from the index alone: an account of 1 000 receipts had its list read them from
            # the table, about 970 pages of it for 2.2 ms, against 0.2 ms from this index.
            models.Index(fields=["user", "meeting"], name="receipt_user_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} – {self.user_id}"
