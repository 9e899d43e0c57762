"""Reads for attendance pages, in a fixed number of queries whatever the number of invitees."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from core.dates import within_days
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
    from core.access import answered_by

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
        rows.setdefault(invitation.unit.pk, UnitRow(name=invitation.unit.name))
        grouped.setdefault(invitation.unit.pk, []).append(invitation)
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
