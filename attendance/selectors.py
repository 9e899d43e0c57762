"""Reads for attendance pages, in a fixed number of queries whatever the number of invitees."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import answered_by
from core.dates import within_days
from core.todo import TodoItem
from meetings.models import Invitation, Meeting

from .models import Attendee, Presence, Reply

# Who counts as present, wherever presence is counted: in person, online (B9) or represented
# by a substitute. Voting, the room and the reports read this one tuple.
PRESENT_STATUSES: tuple[str, ...] = (
    Presence.Status.PRESENT,
    Presence.Status.ONLINE,
    Presence.Status.SUBSTITUTE,
)


def present_statuses() -> tuple[str, ...]:
    return PRESENT_STATUSES


def invitations_with_attendance(meeting: Meeting) -> QuerySet[Invitation]:
    return (
        meeting.invitations.select_related("unit", "committee", "person", "reply", "presence")
        .prefetch_related(Prefetch("reply__attendees", queryset=Attendee.objects.order_by("id")))
        .order_by("id")
    )


def invitations_answered_by(user: User, meeting: Meeting) -> list[Invitation]:
    return [
        invitation
        for invitation in invitations_with_attendance(meeting).filter(answered_by(user))
        if user.has_perm("attendance.reply_invitation", invitation)
    ]


@dataclass
class Figures:
    invited: int = 0
    named: int = 0
    declined: int = 0
    present: int = 0
    online: int = 0
    absent: int = 0
    substitute: int = 0
    unmarked: int = 0

    @property
    def attended(self) -> int:
        """Present in any way: in person, online or by a substitute (PRESENT_STATUSES)."""
        return self.present + self.online + self.substitute


def figures_for(invitations: list[Invitation]) -> Figures:
    figures = Figures(invited=len(invitations))
    for invitation in invitations:
        reply: Reply | None = getattr(invitation, "reply", None)
        if reply is not None:
            if reply.declined:
                figures.declined += 1
            else:
                figures.named += 1
        presence: Presence | None = getattr(invitation, "presence", None)
        if presence is None:
            figures.unmarked += 1
        else:
            setattr(figures, presence.status, getattr(figures, presence.status) + 1)
    return figures


@dataclass
class UnitRow:
    name: str
    figures: Figures = field(default_factory=Figures)


def unit_figures(start: date, end: date) -> list[UnitRow]:
    """Per unit, over published meetings that started between two dates (T3)."""
    invitations = (
        Invitation.objects.filter(
            unit__isnull=False,
            meeting__deleted_at__isnull=True,
            meeting__status=Meeting.Status.PUBLISHED,
            **within_days("meeting__start_at", start, end),
        )
        .select_related("unit", "reply", "presence")
        .order_by("unit__order", "unit__name")
    )
    rows: dict[int, UnitRow] = {}
    grouped: dict[int, list[Invitation]] = {}
    for invitation in invitations:
        assert invitation.unit is not None
        rows.setdefault(invitation.unit_id, UnitRow(name=invitation.unit.name))  # type: ignore[arg-type]
        grouped.setdefault(invitation.unit_id, []).append(invitation)  # type: ignore[arg-type]
    for unit_id, row in rows.items():
        row.figures = figures_for(grouped[unit_id])
    return list(rows.values())


def check_in_candidates(
    user: User, meeting: Meeting, invitation_id: int | None
) -> list[Invitation]:
    """The invitations this account may check in at this meeting (`attendance.check_in`): the
    one a per-invitation code names, or for the door's code every one it answers for or is named
    in. One query for the invitations, one for the named attendees."""
    invitations = invitations_with_attendance(meeting)
    if invitation_id is not None:
        invitations = invitations.filter(pk=invitation_id)
    return [i for i in invitations if user.has_perm("attendance.check_in", i)]


# ---- the to-do list (portal) -------------------------------------------------------------------
TODO_LIMIT = 50


def to_reply(user: User, now: datetime) -> QuerySet[Invitation]:
    """The invitations this account answers for (attendance.reply_invitation) to published
    meetings still to come that nobody has replied to yet: whom the invitee sends."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        answered_by(user),
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__deleted_at__isnull=True,
        meeting__start_at__gt=now,
        reply__isnull=True,
    )


def todo_items(user: User, now: datetime) -> list[TodoItem]:
    """The to-do rows of the invitations to reply to, the nearest meeting first (one query)."""
    rows = (
        to_reply(user, now)
        .select_related("meeting", "meeting__organiser_unit", "unit", "committee", "person")
        .order_by("meeting__start_at", "id")[:TODO_LIMIT]
    )
    return [
        TodoItem(
            kind="attendance_reply",
            action=_("Cử người dự họp"),
            title=invitation.meeting.title,
            about=_("Giấy mời %(whom)s") % {"whom": invitation},
            url=reverse("attendance:reply", args=[invitation.meeting_id]),
            due=invitation.meeting.start_at,
            since=invitation.created_at,
        )
        for invitation in rows
    ]
