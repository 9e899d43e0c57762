"""Reads for the room: who may ask to speak, the queue, the screen; each in a fixed number of
queries whatever the length of the queue or the agenda."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.kept import kept_rows
from accounts.models import User
from accounts.rules import answered_by, answers_for_invitation
from attendance.models import Attendee
from attendance.selectors import present_statuses, with_roll
from meetings.models import AgendaItem, Invitation, Meeting
from meetings.selectors import going_on_at, meetings_visible_to
from voting.models import Participation, Vote
from voting.services import is_eligible

from .models import RoomState, Speech


@dataclass
class FloorIdentity:
    """Whom a request to speak names, and for which invitation."""

    invitation: Invitation
    name: str
    speaks_for: str


def _invitee_name(invitation: Invitation) -> str:
    if invitation.unit is not None:
        return invitation.unit.name
    if invitation.committee is not None:
        return invitation.committee.name
    return ""


def floor_identities(user: User, meeting: Meeting) -> list[FloorIdentity]:
    """The present invitations this account may ask to speak for (see room/rules.py, "in the
    room"): those it answers for, and those whose reply names its person as an attendee."""
    if not user.is_authenticated:
        return []
    present = kept_rows(
        "room.floor.present", _present, user, timezone.now(), ids={"meeting": meeting.pk}
    )
    if not present:
        return []
    own_name = user.full_name or user.username
    found: dict[int, FloorIdentity] = {}
    if user.person_id:
        for attendee in Attendee.objects.filter(
            person_id=user.person_id, reply__invitation__in=present
        ).select_related("reply"):
            invitation = next(i for i in present if i.pk == attendee.reply.invitation_id)
            found[invitation.pk] = FloorIdentity(
                invitation, attendee.full_name or own_name, _invitee_name(invitation)
            )
    for invitation in present:
        if invitation.pk not in found and answers_for_invitation(user, invitation):
            name = own_name
            if invitation.person_id and invitation.person:
                name = invitation.person.full_name or own_name
            found[invitation.pk] = FloorIdentity(invitation, name, _invitee_name(invitation))
    return list(found.values())


def _present(user: User, now: datetime, *, meeting: int) -> QuerySet[Invitation]:
    """The present invitations of the meeting this account answers for or attends as its person,
    from a query kept per shape of account (accounts.kept): the meeting page asks it twice."""
    mine = answered_by(user)
    if user.person_id:
        mine |= Q(reply__attendees__person_id=user.person_id)
    return (
        Invitation.objects.filter(
            mine, meeting_id=meeting, presences__status__in=present_statuses()
        )
        .select_related("unit", "committee", "person")
        .distinct()
        .order_by("id")
    )


def floor_invitations(user: User, meeting: Meeting) -> list[Invitation]:
    return [identity.invitation for identity in floor_identities(user, meeting)]


def state_for(meeting: Meeting) -> RoomState:
    """The meeting's room state, or the defaults (unsaved) before anything happened in the room:
    reading a page never writes."""
    state = RoomState.objects.select_related("current_item").filter(meeting=meeting).first()
    return state or RoomState(meeting=meeting)


@dataclass
class Room:
    state: RoomState
    items: list[AgendaItem]
    current_item: AgendaItem | None
    speaker: Speech | None
    queue: list[Speech]
    # Requests for other items than the current one, by item, in the agenda's order.
    elsewhere: list[tuple[AgendaItem, list[Speech]]] = field(default_factory=list)
    done: list[Speech] = field(default_factory=list)


def room_for(meeting: Meeting, *, with_done: bool = False) -> Room:
    state = state_for(meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))
    current = next((i for i in items if i.pk == state.current_item_id), None)
    statuses = [Speech.Status.WAITING, Speech.Status.SPEAKING]
    if with_done:
        statuses.append(Speech.Status.DONE)
    speeches = list(
        Speech.objects.filter(meeting=meeting, status__in=statuses).order_by("position", "id")
    )
    by_item = {i.pk: i for i in items}
    for speech in speeches:
        # The items are loaded already: no query per speech for its item's title.
        speech.item = by_item.get(speech.item_id) or speech.item
    speaker = next((s for s in speeches if s.status == Speech.Status.SPEAKING), None)
    waiting = [s for s in speeches if s.status == Speech.Status.WAITING]
    queue = [s for s in waiting if current is not None and s.item_id == current.pk]
    elsewhere = []
    for item in items:
        if current is not None and item.pk == current.pk:
            continue
        rows = [s for s in waiting if s.item_id == item.pk]
        if rows:
            elsewhere.append((item, rows))
    done = sorted(
        (s for s in speeches if s.status == Speech.Status.DONE),
        key=lambda s: s.ended_at or s.updated_at,
        reverse=True,
    )
    return Room(state, items, current, speaker, queue, elsewhere, done)


def own_requests(user: User, meeting: Meeting) -> list[Speech]:
    return list(
        Speech.objects.filter(
            meeting=meeting,
            user=user,
            status__in=[Speech.Status.WAITING, Speech.Status.SPEAKING],
        )
        .select_related("item")
        .order_by("position", "id")
    )


def queue_places(meeting: Meeting, speeches: list[Speech]) -> dict[int, int]:
    """Each waiting request's place in its item's queue (1 = next), in one query."""
    places: dict[int, int] = {}
    if not speeches:
        return places
    ahead = (
        Speech.objects.filter(meeting=meeting, status=Speech.Status.WAITING)
        .values_list("pk", "item_id")
        .order_by("position", "id")
    )
    counters: dict[int, int] = {}
    wanted = {s.pk for s in speeches}
    for pk, item_id in ahead:
        counters[item_id] = counters.get(item_id, 0) + 1
        if pk in wanted:
            places[pk] = counters[item_id]
    return places


# ---- calls: what a member must not miss (a vote to cast, the floor given) ------------------------


@dataclass
class Call:
    """A vote this account may cast now, or the floor given to it: one tap away, on the meeting
    page and the dashboard."""

    meeting: Meeting
    vote: Vote | None = None
    speech: Speech | None = None

    @property
    def key(self) -> str:
        if self.vote is not None:
            return f"v{self.vote.pk}"
        return f"s{self.speech.pk}" if self.speech is not None else ""


# The meetings whose hours meet a window are, exactly, those going on at its start and those
# starting within it. Asked as one, the account's every meeting was looked up (a unit's thousand,
# 3 ms of a dashboard); in two, the first are a handful read from the end index
# (meetings.selectors.going_on_at) and the second come from the invitations' start index.
EPSILON = timedelta(microseconds=1)


def _going_on_then(
    user: User, now: datetime, *, going_on: tuple[int, ...]
) -> QuerySet[Meeting, int]:
    """One of the meetings going on at the window's start that this account may open, published."""
    published = Q(pk__in=going_on, status=Meeting.Status.PUBLISHED)
    return meetings_visible_to(user).filter(published).values_list("pk", flat=True)[:1]


def _starting_within(
    user: User, now: datetime, *, since: datetime, until: datetime
) -> QuerySet[Meeting, int]:
    """One of the meetings starting within the window that this account may open, published."""
    within = meetings_visible_to(user, starts_from=since, starts_before=until + EPSILON)
    return within.filter(status=Meeting.Status.PUBLISHED).values_list("pk", flat=True)[:1]


def meets_window(meeting: Meeting, *, since: datetime, until: datetime) -> bool:
    """has_meeting_within's question of one meeting already read (a meeting page's): running, and
    its hours meet the window. Asked of the object, no query."""
    return meeting.is_running and meeting.start_at <= until and meeting.end_at >= since


def has_meeting_within(user: User, now: datetime, *, since: datetime, until: datetime) -> bool:
    """Whether one of the meetings this account may open, published, meets the window from
    `since` to `until`: each part read from a query kept per shape of account (accounts.kept)."""
    going_on = tuple(sorted(going_on_at(since)))
    return bool(
        kept_rows("room.calls.polls.going_on", _going_on_then, user, now, going_on=going_on)
    ) or bool(
        kept_rows(
            "room.calls.polls.starting", _starting_within, user, now, since=since, until=until
        )
    )


def calls_for(user: User, meeting: Meeting | None = None) -> list[Call]:
    """The open votes this account may still cast (it answers for an invitation that is present,
    or the vote is open to every invitee, and has not voted), and the turn to speak it was given,
    in one meeting or in all. Reads only (a vote past its closing time is left out, not closed):
    five queries at most."""
    if not user.is_authenticated:
        return []
    now = timezone.now()
    meeting_id = meeting.pk if meeting is not None else None
    calls: list[Call] = []
    votes = kept_rows("room.calls.votes", _open_votes, user, now, ids={"meeting_id": meeting_id})
    if votes:
        invitations = [
            i
            for i in with_roll(
                Invitation.objects.filter(
                    answered_by(user), meeting_id__in={v.meeting_id for v in votes}
                )
            ).order_by("id")
            if answers_for_invitation(user, i)
        ]
        cast = set(
            Participation.objects.filter(vote__in=votes, invitation__in=invitations).values_list(
                "vote_id", "invitation_id"
            )
        )
        for vote in votes:
            if any(
                i.meeting_id == vote.meeting_id
                and (vote.pk, i.pk) not in cast
                and is_eligible(vote, i)
                for i in invitations
            ):
                calls.append(Call(meeting=vote.meeting, vote=vote))
    speeches = kept_rows(
        "room.calls.speeches", _floor_given, user, now, ids={"meeting_id": meeting_id}
    )
    calls += [Call(meeting=speech.meeting, speech=speech) for speech in speeches]
    return calls


def _running(meeting_id: int | None) -> Q:
    running = Q(meeting__status=Meeting.Status.PUBLISHED, meeting__deleted_at__isnull=True)
    return running if meeting_id is None else running & Q(meeting_id=meeting_id)


def _open_votes(user: User, now: datetime, *, meeting_id: int | None) -> QuerySet[Vote]:
    """The open votes of the meetings this account answers an invitation of (in one, or in all),
    read from a query kept per shape of account (accounts.kept)."""
    return (
        Vote.objects.filter(_running(meeting_id), status=Vote.Status.OPEN)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .filter(meeting__invitations__in=Invitation.objects.filter(answered_by(user)))
        .select_related("meeting")
        .distinct()
        .order_by("opened_at", "id")
    )


def _floor_given(user: User, now: datetime, *, meeting_id: int | None) -> QuerySet[Speech]:
    speeches = Speech.objects.filter(_running(meeting_id), user=user, status=Speech.Status.SPEAKING)
    return speeches.select_related("meeting", "item").order_by("started_at", "id")


# The dashboard's banner follows the votes of the meetings this long around their hours.
CALLS_WATCHED = timedelta(hours=12)


def calls_meetings(user: User) -> list[int]:
    """The meetings whose votes the dashboard's banner follows: those this account answers an
    invitation of, published, within CALLS_WATCHED of this minute's start (one query, and the
    few meetings going on at the window's start).

    Read as the window's two parts (see has_meeting_within): those going on at its start, from
    the meetings' end index, and those starting within it, from the start kept beside the
    invitations; asked of the meetings' own hours, every invitation of the account was looked
    up (a unit's thousand: 8 ms of its dashboard). The window is the minute's, the same for a
    minute's requests, so that the query is kept for the account's shape (accounts.kept) and
    not built on every dashboard."""
    if not user.is_authenticated:
        return []
    now = timezone.now()
    minute = now.replace(second=0, microsecond=0)
    since, until = minute - CALLS_WATCHED, minute + CALLS_WATCHED
    found = kept_rows(
        "room.calls.meetings",
        _calls_meetings_of,
        user,
        now,
        going_on=tuple(sorted(going_on_at(since))),
        since=since,
        until=until,
    )
    return sorted(set(found))


def _calls_meetings_of(
    user: User, now: datetime, *, going_on: tuple[int, ...], since: datetime, until: datetime
) -> QuerySet[Invitation, int]:
    within = Q(meeting_id__in=going_on) | Q(
        meeting_start_at__gte=since, meeting_start_at__lte=until
    )
    return (
        Invitation.objects.filter(
            answered_by(user),
            within,
            meeting__status=Meeting.Status.PUBLISHED,
            meeting__deleted_at__isnull=True,
        )
        .order_by()
        .values_list("meeting_id", flat=True)
    )
