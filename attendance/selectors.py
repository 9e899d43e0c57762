"""Reads for attendance pages, in a fixed number of queries whatever the number of invitees."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from accounts.kept import kept_rows
from accounts.models import User
from accounts.rules import ANSWERS_NOTHING, answered_by
from core.dates import within_days
from core.links import link
from core.todo import TODO_LIMIT, TodoItem
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


# What `roll_entries` reads of each invitation besides its row: the invitee, the reply (joined),
# the reply's attendees and the marks (prefetched).
ROLL_JOINED = ("unit", "committee", "person", "reply")


def _roll_prefetches() -> tuple[Prefetch, Prefetch]:
    return (
        Prefetch("reply__attendees", queryset=Attendee.objects.order_by("id")),
        Prefetch("presences", queryset=Presence.objects.order_by("id")),
    )


def with_roll(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    """Invitations with what `roll_entries` reads: the reply, its attendees and the marks (three
    queries in all, however many invitations)."""
    return invitations.select_related(*ROLL_JOINED).prefetch_related(*_roll_prefetches())


def read_roll(invitations: list[Invitation]) -> None:
    """What `with_roll` prefetches, for invitations read with ROLL_JOINED joined (by a kept query,
    accounts.kept, which does not prefetch): the attendees and the marks, two queries at most."""
    prefetch_related_objects(invitations, *_roll_prefetches())


def invitations_with_attendance(meeting: Meeting) -> QuerySet[Invitation]:
    return with_roll(meeting.invitations.all()).order_by("id")


@dataclass
class RollEntry:
    """One line of the roll: a named attendee of the invitation, or the invitation itself when
    it named nobody; with its mark, if any."""

    invitation: Invitation
    attendee: Attendee | None
    presence: Presence | None

    @property
    def key(self) -> str:
        if self.attendee is None:
            return str(self.invitation.pk)
        return f"{self.invitation.pk}-{self.attendee.pk}"

    @property
    def status(self) -> str | None:
        return self.presence.status if self.presence is not None else None

    @property
    def attended(self) -> bool:
        return self.status in PRESENT_STATUSES


def named_attendees(invitation: Invitation) -> list[Attendee]:
    reply: Reply | None = getattr(invitation, "reply", None)
    if reply is None or reply.declined:
        return []
    return list(reply.attendees.all())


def roll_entries(invitation: Invitation) -> list[RollEntry]:
    """Each named attendee with their own mark, or else the invitee's own mark (taken for the
    whole unit); an invitee that named nobody is one entry. Reads what `with_roll` loaded."""
    presences = list(invitation.presences.all())
    own = next((p for p in presences if p.attendee_id is None), None)
    attendees = named_attendees(invitation)
    if not attendees:
        return [RollEntry(invitation, None, own)]
    by_attendee = {p.attendee_id: p for p in presences if p.attendee_id is not None}
    return [RollEntry(invitation, a, by_attendee.get(a.pk, own)) for a in attendees]


def invitation_attended(invitation: Invitation) -> bool:
    """At least one of the invitee's people present (in person, online or by a substitute): the
    invitation may speak and vote."""
    return any(entry.attended for entry in roll_entries(invitation))


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
    """Invitees (invited, named, declined) and people (the roll's marks: each named attendee, or
    the invitee that named nobody, counts once)."""
    figures = Figures(invited=len(invitations))
    for invitation in invitations:
        reply: Reply | None = getattr(invitation, "reply", None)
        if reply is not None:
            if reply.declined:
                figures.declined += 1
            else:
                figures.named += 1
        for entry in roll_entries(invitation):
            if entry.status is None:
                figures.unmarked += 1
            else:
                setattr(figures, entry.status, getattr(figures, entry.status) + 1)
    return figures


@dataclass
class UnitRow:
    name: str
    figures: Figures = field(default_factory=Figures)


def unit_figures(start: date, end: date) -> list[UnitRow]:
    """Per unit, over published meetings that started between two dates (T3)."""
    invitations = with_roll(
        Invitation.objects.filter(
            unit__isnull=False,
            meeting__deleted_at__isnull=True,
            meeting__status=Meeting.Status.PUBLISHED,
            **within_days("meeting__start_at", start, end),
        )
    ).order_by("unit__order", "unit__name")
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
    in; each with `entry`, the line of the roll the check-in marks (`own_entry`). A fixed number
    of queries."""
    invitations = invitations_with_attendance(meeting)
    if invitation_id is not None:
        invitations = invitations.filter(pk=invitation_id)
    found = [i for i in invitations if user.has_perm("attendance.check_in", i)]
    for invitation in found:
        invitation.entry = own_entry(user, invitation)  # type: ignore[attr-defined]
    return found


def own_entry(user: User, invitation: Invitation) -> RollEntry:
    """The line of the roll that an account checking in marks: its person's, when the invitee
    named it; otherwise the invitee's own mark, which counts for those named without a mark."""
    entries = roll_entries(invitation)
    for entry in entries:
        if (
            entry.attendee is not None
            and user.person_id
            and entry.attendee.person_id == (user.person_id)
        ):
            return entry
    own = next((p for p in invitation.presences.all() if p.attendee_id is None), None)
    return RollEntry(invitation, None, own)


# ---- the to-do list (portal) -------------------------------------------------------------------


def to_reply(user: User, now: datetime) -> QuerySet[Invitation]:
    """The invitations this account answers for (attendance.reply_invitation) to published
    meetings still to come that nobody has replied to yet: whom the invitee sends."""
    reach = answered_by(user)
    if reach == ANSWERS_NOTHING:
        return Invitation.objects.none()
    # The start kept beside the invitation: a unit's future invitations are read from their
    # index, not found by looking up each of its meetings (a thousand at a province's size).
    return Invitation.objects.filter(
        reach,
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__deleted_at__isnull=True,
        meeting_start_at__gt=now,
        reply__isnull=True,
    )


def todo_items(user: User, now: datetime) -> list[TodoItem]:
    """The to-do rows of the invitations to reply to, the nearest meeting first (one query)."""
    whom = _invitees_of(user)
    return [
        TodoItem(
            kind="attendance_reply",
            action=_("Cử người dự họp"),
            title=title,
            about=_("Giấy mời %(whom)s") % {"whom": whom(unit_id, committee_id, person_id)},
            url=link("attendance:reply", meeting_id),
            due=start_at,
            since=created_at,
        )
        for meeting_id, title, start_at, created_at, unit_id, committee_id, person_id in kept_rows(
            "attendance.todo", _todo_rows, user, now
        )
    ]


def _invitees_of(user: User) -> Callable[[int | None, int | None, int | None], str]:
    """The name of the invitee of one of the invitations this account answers for, as the
    invitation names it (`str(invitation)`): its unit, its committee or its person, by the
    invitation's ids. answered_by reaches no other invitee, so the names are the account's own,
    each read once when a row names it."""
    names: dict[str, str] = {}

    def whom(unit_id: int | None, committee_id: int | None, person_id: int | None) -> str:
        kind = "unit" if unit_id else "committee" if committee_id else "person"
        if kind not in names:
            names[kind] = str(getattr(user, kind) or "")
        return names[kind]

    return whom


def _todo_rows(user: User, now: datetime) -> QuerySet[Invitation, tuple[Any, ...]]:
    # Only what a row says, as plain values: the meeting's title and start, and which of the
    # account's invitees the invitation names (their names are the account's own:
    # _invitees_of). With the unit, the committee and the person joined as models, planning the
    # query took 2-3 ms of PostgreSQL's time on every dashboard (at a province's size), more
    # than running it; 50 rows of whole models took 19 ms of a unit's dashboard before that.
    return (
        to_reply(user, now)
        .order_by("meeting_start_at", "id")
        .values_list(
            "meeting_id",
            "meeting__title",
            "meeting__start_at",
            "created_at",
            "unit_id",
            "committee_id",
            "person_id",
        )[:TODO_LIMIT]
    )
