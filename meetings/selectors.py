"""Every read of meetings that depends on who asks. List and detail pages use the same selector, so
they cannot disagree about what a user may see (D2)."""

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.kept import ANYONE, kept_rows
from accounts.models import CommitteeMembership, Person, Unit, User
from core.compiled import CompiledOnce
from core.paging import count_to

from .models import AgendaItem, Invitation, Meeting, MeetingChange, Receipt

M = TypeVar("M")


def _invited(user: User) -> Q:
    """Invitations that reach this account: its unit, its committee, its person, or a committee
    its person sits on."""
    reach = Q(pk__in=[])
    if user.unit_id:
        reach |= Q(unit_id=user.unit_id)
    if user.committee_id:
        reach |= Q(committee_id=user.committee_id)
    if user.person_id:
        reach |= Q(person_id=user.person_id) | Q(
            committee_id__in=CommitteeMembership.objects.filter(person_id=user.person_id).values(
                "committee_id"
            )
        )
    return reach


def organiser_q(user: User, prefix: str = "") -> Q:
    """Meetings this account organises: the clerks of the organising unit and the creator.
    `prefix` asks it of a related meeting ("meeting__")."""
    q = Q(**{f"{prefix}created_by_id": user.pk})
    if _organises_for_unit(user):
        q = Q(**{f"{prefix}organiser_unit_id": user.unit_id}) | q
    return q


def organiser_side_fields(user: User) -> dict[str, Any]:
    """A meeting's organiser side (whoever organises it, as organiser_q says; its secretary; its
    chair) as the meeting's fields and this account's values, any one of which is enough."""
    fields: dict[str, Any] = {}
    if _organises_for_unit(user):
        fields["organiser_unit_id"] = user.unit_id
    fields["created_by_id"] = user.pk
    fields["secretary_id"] = user.pk
    if user.person_id:
        fields["chair_id"] = user.person_id
    return fields


def _organises_for_unit(user: User) -> bool:
    """A unit's clerks organise every meeting of that unit. The IT centre's admins do not: they
    run the system, and organise only what they created themselves (least privilege)."""
    return user.role == User.Role.CLERK and bool(user.unit_id)


def visible_ids(
    user: User,
    *,
    organised: bool = True,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
) -> QuerySet[Any]:
    """The ids of the meetings this account organises (drafts included) or is invited to, is the
    secretary of or chairs (drafts too: `taking_part_q` leaves those out), as one UNION of index
    lookups. Each part reads only its own rows, so the cost grows with what one account may
    see, not with the table. Without `organised`, only what it takes part in (the dashboard's
    "invited" lists, which leave out what the account organises). With `starts_from`, only the
    meetings starting then or later: the invitations are read from their start index
    (Invitation.meeting_start_at), so a unit's future is a few dozen rows, not its thousand;
    with `starts_before` too, only those starting before then (a calendar's days)."""
    meetings = Meeting.objects.order_by()
    invitations = Invitation.objects.order_by()
    if starts_from is not None:
        meetings = meetings.filter(start_at__gte=starts_from)
        invitations = invitations.filter(meeting_start_at__gte=starts_from)
    if starts_before is not None:
        meetings = meetings.filter(start_at__lt=starts_before)
        invitations = invitations.filter(meeting_start_at__lt=starts_before)
    parts: list[QuerySet[Any]] = []
    if organised:
        parts.append(meetings.filter(created_by_id=user.pk).values("id"))
        if _organises_for_unit(user):
            parts.append(meetings.filter(organiser_unit_id=user.unit_id).values("id"))
    reach = _invited(user)
    if user.unit_id or user.committee_id or user.person_id:
        # Read from the invitations' own index alone; drafts are left out by `not_draft_q`.
        parts.append(invitations.filter(reach).values("meeting_id"))
    parts.append(meetings.filter(secretary_id=user.pk).values("id"))
    if user.person_id:
        parts.append(meetings.filter(chair_id=user.person_id).values("id"))
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


def taking_part_q(
    user: User, *, starts_from: datetime | None = None, starts_before: datetime | None = None
) -> Q:
    """What this account takes part in and may open: `visible_ids(organised=False)` without
    drafts (a draft is its organisers' only); with `starts_from` (and `starts_before`), what
    starts then or later (and before then)."""
    ids = visible_ids(user, organised=False, starts_from=starts_from, starts_before=starts_before)
    return Q(pk__in=ids) & ~Q(status=Meeting.Status.DRAFT)


# The querysets meetings_visible_to and listed_to built lately, per process, the first kept
# forgotten first. A queryset is never changed by what is asked of it (each filter, slice or
# read works on a copy, `all()` below), so that one built for an account serves its next
# requests.
VISIBLE_KEPT = 256
_visible: OrderedDict[tuple[Any, ...], QuerySet[Meeting]] = OrderedDict()


def meetings_visible_to(
    user: User, *, starts_from: datetime | None = None, starts_before: datetime | None = None
) -> QuerySet[Meeting]:
    """Meetings this account may open. Drafts: only their organisers. With `starts_from` and
    `starts_before`, only those starting within (a calendar's days): the account's invitations
    are then read from their start index, the days' few, not all of them hashed.

    Built once per account and window and process: what it is made of (the account's id, role,
    unit, committee and person, and the window) is its key, and every row it matches is asked
    of the database when it is read (a committee's members, too, are a subquery). Building it
    was about a millisecond of each of an office clerk's list and searches, an eighth of the
    list's Python time (measured at 100 000 meetings)."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    return _kept_for(
        user,
        ("visible", starts_from, starts_before),
        lambda: _visible_built(user, starts_from, starts_before),
    )


def listed_to(user: User, *, also: tuple[str, ...] = ()) -> QuerySet[Meeting]:
    """The meetings this account may open with what a row of the lists shows
    (with_row_data), built once per account and process as meetings_visible_to is: building
    the rows' columns was most of a millisecond of the list and of each search."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    return _kept_for(
        user, ("listed", also), lambda: with_row_data(meetings_visible_to(user), user, also=also)
    )


def listed_by_id(user: User, ids: Iterable[int], *, also: tuple[str, ...] = ()) -> list[Meeting]:
    """listed_to's rows of these meetings, already found among those the account may open (so
    asked by id alone), in no order: from the query kept per shape of account and number of
    meetings (accounts.kept), each id put in as a caller's. A search's page of title matches
    whose ids its count read (core.paging.Listed): building and compiling the page's query was
    a quarter of the search's Python time."""
    given = _by_position(ids)
    if not given:
        return []
    return kept_rows(
        "meetings.listed_by_id", _listed_by_id, user, timezone.now(), ids=given, also=also
    )


def _listed_by_id(
    user: User, now: datetime, *, also: tuple[str, ...], **ids: int
) -> QuerySet[Meeting]:
    return with_row_data(Meeting.objects.filter(pk__in=list(ids.values())), user, also=also)


def reader_of(user: User) -> tuple[Any, ...]:
    """What the meetings an account may open are made of: its id, role, unit, committee and
    person (the key of what is kept for it, here and in a search's memory of its way)."""
    return (user.pk, user.role, user.unit_id, user.committee_id, user.person_id)


def _by_position(ids: Iterable[int]) -> dict[str, int | None]:
    """Ids as a kept query's given ids (accounts.kept), named by their place in order."""
    return {f"m{n}": pk for n, pk in enumerate(sorted(ids))}


def _kept_for(
    user: User, what: tuple[Any, ...], build: Callable[[], QuerySet[Meeting]]
) -> QuerySet[Meeting]:
    """`build()`, kept under what it is made of: the account's id, role, unit, committee and
    person, and `what` (its name and arguments); a copy of it each time."""
    key = (*reader_of(user), *what)
    # Read once: another thread of the process may forget it meanwhile.
    built = _visible.get(key)
    if built is None:
        built = build()
        while len(_visible) >= VISIBLE_KEPT:
            _visible.popitem(last=False)
        _visible[key] = built
    return built.all()


def _visible_built(
    user: User, starts_from: datetime | None, starts_before: datetime | None
) -> QuerySet[Meeting]:
    meetings = Meeting.objects.alive()
    if starts_from is not None:
        meetings = meetings.filter(start_at__gte=starts_from)
    if starts_before is not None:
        meetings = meetings.filter(start_at__lt=starts_before)
    if _organises_for_unit(user):
        # An organising unit's clerk sees most of what the unit organised: a UNION would gather
        # every one of those ids before the first page. Tested on each row instead (the pages are
        # read in start order and stop after one page), with the meetings it takes part in as a
        # small hashed set beside.
        within = taking_part_q(user, starts_from=starts_from, starts_before=starts_before)
        return meetings.filter(CompiledOnce(organiser_q(user) | within))
    # Compiled once for the queryset kept (core.compiled), not for each query made of it.
    return meetings.filter(
        CompiledOnce(
            Q(pk__in=visible_ids(user, starts_from=starts_from, starts_before=starts_before))
            & (~Q(status=Meeting.Status.DRAFT) | organiser_q(user))
        )
    )


def reads_every_row(user: User) -> bool:
    """Whether a page of this account's meetings reads every one of them before the page (its
    meetings gathered by their ids, a few thousand at most, then ordered), so that the list's
    count on each row (`COUNT(*) OVER ()`) costs nothing more. An organising unit's clerk's pages
    walk the start index and stop at the page: a count there would read the whole table."""
    return bool(user.is_authenticated) and not _organises_for_unit(user)


def listed_by_invitations(user: User) -> bool:
    """Whether this account's meetings are exactly those its unit's invitations list
    (Invitation.meeting_listed): an account that reads every row of its meetings
    (reads_every_row), reached by its unit alone (no committee, no person of its own), that
    created no meeting and is the secretary of none. Its list is then read from its unit's
    invitations in start order (InvitedMeetings), one query to ask."""
    if not reads_every_row(user) or not user.unit_id or user.committee_id or user.person_id:
        return False
    mine = Meeting.objects.filter(Q(created_by_id=user.pk) | Q(secretary_id=user.pk))
    # Counted, not asked with LIMIT 1: PostgreSQL plans a statement a connection repeats once for
    # any account, and where one account created every meeting that plan, stopping at the first
    # row it expects at once, read the whole table for the accounts that created none (24 ms).
    return mine.count() == 0


class InvitedMeetings:
    """The meeting list of an account listed_by_invitations, in the parts core.paging reads:
    its page read by walking its unit's listed invitations in start order and stopping at the
    page (`invitation_unit_listed`), its count up to the limit from that index alone. Read by
    looking up each of its meetings instead, a unit of 1 000 invitations spent 6 of its list's
    8.6 ms in PostgreSQL, a thousand look-ups for a page of fifty."""

    words: tuple[str, ...] = ()  # no search: what core.paging and the list ask of a search

    def __init__(self, user: User, rows: QuerySet[Meeting], count_limit: int) -> None:
        """`rows`: the meetings with what a row shows (with_row_data)."""
        if user.unit_id is None:
            raise ValueError("a unit's list without a unit")
        self.unit_id: int = user.unit_id
        self.rows = rows
        self.count_limit = count_limit

    def _invitations(self) -> QuerySet[Invitation]:
        return Invitation.objects.filter(unit_id=self.unit_id, meeting_listed=True)

    def parts(self, need: int) -> list[QuerySet[Meeting]]:
        first = (
            self._invitations()
            .order_by("-meeting_start_at", "-meeting_id")
            .values("meeting_id")[:need]
        )
        return [self.rows.filter(pk__in=first).order_by("-start_at", "-id")]

    def counted_parts(self, need: int, order: tuple[str, ...]) -> list[QuerySet[Meeting] | int]:
        return [count_to(self._invitations().order_by(), need)]


def meetings_organised_by(user: User) -> QuerySet[Meeting]:
    meetings = Meeting.objects.alive()
    return meetings.filter(organiser_q(user))


def is_organiser(user: User, meeting: Meeting) -> bool:
    """The object form of organiser_q, from the same parts."""
    if not user.is_authenticated:
        return False
    if meeting.created_by_id == user.pk:
        return True
    return _organises_for_unit(user) and user.unit_id == meeting.organiser_unit_id


def office_q(user: User, prefix: str = "") -> Q:
    """The meetings whose office this account is part of: those it organises, those it is the
    secretary of, and its unit's when it is that unit's clerk or leader. The office issues the
    meeting's notice and follows its tasks (tasks)."""
    q = Q(**{f"{prefix}created_by_id": user.pk}) | Q(**{f"{prefix}secretary_id": user.pk})
    if _in_unit_office(user):
        q |= Q(**{f"{prefix}organiser_unit_id": user.unit_id})
    return q


def is_office(user: User, meeting: Meeting) -> bool:
    """The object form of office_q, from the same parts."""
    if not user.is_authenticated:
        return False
    if user.pk in (meeting.created_by_id, meeting.secretary_id):
        return True
    return _in_unit_office(user) and user.unit_id == meeting.organiser_unit_id


def _in_unit_office(user: User) -> bool:
    return bool(user.unit_id) and user.role in {User.Role.CLERK, User.Role.UNIT_LEADER}


def may_see(user: User, meeting: Meeting) -> bool:
    """The object-level form of meetings_visible_to: the same parts, asked of one meeting, so
    that opening a page costs one small lookup whatever the account sees. Remembered on the
    meeting for the request. Tests hold the two forms to the same answers."""
    cache = meeting.__dict__.setdefault("_visible_to", {})
    if user.pk not in cache:
        cache[user.pk] = _may_see(user, meeting)
    return bool(cache[user.pk])


def note_reached(user: User, meeting: Meeting) -> None:
    """The caller read one of the meeting's invitations that this account answers for
    (`accounts.rules.answered_by`, a part of what reaches it): `may_see` asks no query of its own
    for the rest of the request (a phone's ballot reads those invitations anyway)."""
    meeting.__dict__.setdefault("_reached", set()).add(user.pk)


def _may_see(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated or meeting.deleted_at is not None:
        return False
    if is_organiser(user, meeting):
        return True
    if meeting.status == Meeting.Status.DRAFT:
        return False
    if meeting.secretary_id == user.pk or (user.person_id and meeting.chair_id == user.person_id):
        return True
    if not (user.unit_id or user.committee_id or user.person_id):
        return False
    if user.pk in meeting.__dict__.get("_reached", ()):
        return True
    now = timezone.now()
    return bool(
        kept_rows("meetings.may_see", _invitation_of, user, now, ids={"meeting": meeting.pk})
    )


def _invitation_of(user: User, now: datetime, *, meeting: int) -> QuerySet[Invitation, tuple[int]]:
    """One of the meeting's invitations that reach this account: read from a query kept per shape
    of account (accounts.kept), as every meeting's page and every ballot asks it."""
    return Invitation.objects.filter(_invited(user), meeting_id=meeting).values_list("pk")[:1]


def _seen(user: User) -> Exists:
    return Exists(Receipt.objects.filter(meeting_id=OuterRef("pk"), user_id=user.pk))


def with_list_data(meetings: QuerySet[Meeting], user: User) -> QuerySet[Meeting]:
    """What the API's list gives of each meeting: catalog names, chair, room, and whether this
    account has opened it yet."""
    return meetings.select_related("location", "type", "form", "organiser_unit", "chair").annotate(
        seen=_seen(user)
    )


# What a row of the meeting lists and of the dashboard shows (meetings/_row.html, written from
# meetings.templatetags.meeting_rows.row_values), and no more: two joins rather than five, a dozen
# columns rather than a hundred. At 100 000 meetings a unit's dashboard read its 90 meetings in
# 35 ms, 16 ms so. A column left out here and read by a page costs a query per row, which the
# query-count tests see.
ROW_FIELDS = (
    "title",
    "start_at",
    "end_at",
    "status",
    "online_link",
    "deleted_at",
    "location_id",
    "organiser_unit_id",
    "location__name",
    "organiser_unit__name",
    "organiser_unit__short_name",
)


def with_row_data(
    meetings: QuerySet[Meeting], user: User, *, also: tuple[str, ...] = ()
) -> QuerySet[Meeting]:
    """What a row of the pages' meeting lists shows, and whether this account has opened it;
    `also` the columns a page reads besides (a search's words, to find the documents that
    brought a meeting in)."""
    return _row_columns(meetings, also).annotate(seen=_seen(user))


def _row_columns(meetings: QuerySet[Meeting], also: tuple[str, ...] = ()) -> QuerySet[Meeting]:
    return meetings.select_related("location", "organiser_unit").only(*ROW_FIELDS, *also)


@dataclass
class Dashboard:
    new: list[Meeting] = field(default_factory=list)
    today: list[Meeting] = field(default_factory=list)
    week: list[Meeting] = field(default_factory=list)
    upcoming: list[Meeting] = field(default_factory=list)
    past: list[Meeting] = field(default_factory=list)
    organised: list[Meeting] = field(default_factory=list)
    # How many more there are than shown, past this week and organised (upcoming_more is a
    # lower bound when upcoming_cut: the meetings not ended were read up to CURRENT_LIMIT).
    upcoming_more: int = 0
    upcoming_cut: bool = False
    organised_more: bool = False


# The dashboard's meetings not ended, at most; and how far back its recent past is looked for
# first.
CURRENT_LIMIT = 200
# The meetings past this week and those the account organises shown on the dashboard, the first
# in time; the others are in the meeting list, behind a link. A unit invited everywhere had 68
# after this week and an office's clerk 100 organised, most of both pages' rows (the lists' rows
# were most of their rendering, at 100 000 meetings) and more than a phone's reader scrolls.
DASHBOARD_SHOWN = 10
RECENT_PAST = timedelta(days=31)


def _taking_part_only(user: User, starts_from: datetime | None) -> QuerySet[Meeting]:
    """What the account takes part in and does not organise (starting then or later)."""
    taking_part = Meeting.objects.alive().exclude(status=Meeting.Status.DRAFT)
    taking_part = taking_part.filter(taking_part_q(user, starts_from=starts_from))
    return taking_part.exclude(organiser_q(user))


def _taking_part(user: User, starts_from: datetime | None) -> QuerySet[Meeting]:
    """_taking_part_only, with what a row shows."""
    return with_row_data(_taking_part_only(user, starts_from), user)


def _taking_part_marks(
    user: User, starts_from: datetime | None
) -> QuerySet[Meeting, tuple[int, datetime, bool]]:
    """_taking_part_only as (id, start, whether the account has opened it): what the dashboard
    sorts its meetings not ended by, before it reads the rows it shows (_shown_rows)."""
    marks = _taking_part_only(user, starts_from).annotate(seen=_seen(user))
    return marks.values_list("pk", "start_at", "seen")


def _shown_rows(ids: Iterable[int], seen: dict[int, bool]) -> dict[int, Meeting]:
    """The dashboard's rows of these meetings, already found to be the account's (so asked by
    id alone), each with whether the account has opened it, by id: from a query kept per
    number of meetings (accounts.kept, each id put in as a caller's), the ORM's building it
    being most of its cost."""
    given = _by_position(ids)
    rows = kept_rows("dashboard.shown", _rows_by_id, ANYONE, timezone.now(), ids=given)
    found = {meeting.pk: meeting for meeting in rows}
    for pk, meeting in found.items():
        meeting.seen = seen[pk]  # type: ignore[attr-defined]
    return found


def _rows_by_id(anyone: User, now: datetime, **ids: int) -> QuerySet[Meeting]:
    return _row_columns(Meeting.objects.filter(pk__in=list(ids.values())))


def _organised(user: User, starts_from: datetime | None) -> QuerySet[Meeting]:
    """What the account organises (starting then or later), with what a row shows."""
    organised = with_row_data(meetings_organised_by(user), user)
    return organised if starts_from is None else organised.filter(start_at__gte=starts_from)


# A way of reading the account's meetings (starting then or later): as rows, or as marks.
MeetingsOf = Callable[[User, datetime | None], QuerySet[Meeting, Any]]
ORDERED = ("start_at", "id")


def _going_on_part(
    user: User, now: datetime, *, meetings: MeetingsOf, going_on: tuple[int, ...], limit: int
) -> QuerySet[Meeting, Any]:
    return meetings(user, None).filter(pk__in=going_on).order_by(*ORDERED)[:limit]


def _later_part(
    user: User, now: datetime, *, meetings: MeetingsOf, since: datetime, limit: int
) -> QuerySet[Meeting, Any]:
    return meetings(user, since).order_by(*ORDERED)[:limit]


def _past_part(
    user: User,
    now: datetime,
    *,
    starts_from: datetime | None,
    before: datetime,
    limit: int,
) -> QuerySet[Meeting]:
    ended = _taking_part(user, starts_from).filter(end_at__lt=before)
    return ended.order_by("-start_at", "-id")[:limit]


def dashboard_for(user: User, *, now: datetime | None = None, past_limit: int = 10) -> Dashboard:
    """My meetings: not yet opened, today, this week, later, recently past; and, for organisers,
    the meetings they organise that have not ended. Each part is read by the query kept for the
    account's shape (accounts.kept): building them was most of the dashboard's own time."""
    now = now or timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = today_start + timedelta(days=1)
    week_end = today_start + timedelta(days=7 - today_start.weekday())

    def kept_not_ended(meetings: MeetingsOf, since: datetime, limit: int) -> list[Any]:
        """not_ended's two parts, each from a kept query."""
        name = f"dashboard.{meetings.__name__}"
        return _two_parts(
            since,
            limit,
            lambda going_on, n: kept_rows(
                f"{name}.going_on",
                _going_on_part,
                user,
                now,
                meetings=meetings,
                going_on=tuple(going_on),
                limit=n,
            ),
            lambda n: kept_rows(
                f"{name}.later", _later_part, user, now, meetings=meetings, since=since, limit=n
            ),
        )

    board = Dashboard()
    # Not ended: those starting today or later are read through the start kept beside the
    # invitations (a unit's future, not its every invitation). All of them up to the limit: the
    # new ones (not yet opened) are among them, whenever they are. First as their ids, starts
    # and marks, then the rows shown: a unit invited everywhere had 78 not ended and was shown
    # 21 (the later ones are counted, not listed), and making the other rows' meetings, rooms
    # and organisers was a tenth of its dashboard.
    marks: list[tuple[int, datetime, bool]] = kept_not_ended(
        _taking_part_marks, today_start, CURRENT_LIMIT
    )
    board.upcoming_cut = len(marks) >= CURRENT_LIMIT
    parts: dict[str, list[int]] = {"new": [], "today": [], "week": [], "upcoming": []}
    for pk, start_at, seen in marks:
        if not seen:
            parts["new"].append(pk)
        if start_at < tomorrow:
            parts["today"].append(pk)
        elif start_at < week_end:
            parts["week"].append(pk)
        else:
            parts["upcoming"].append(pk)
    board.upcoming_more = max(0, len(parts["upcoming"]) - DASHBOARD_SHOWN)
    parts["upcoming"] = parts["upcoming"][:DASHBOARD_SHOWN]
    shown = {pk for listed in parts.values() for pk in listed}
    rows = _shown_rows(shown, {pk: seen for pk, _, seen in marks}) if shown else {}
    # A row gone between the two reads is left out.
    board.new, board.today, board.week, board.upcoming = (
        [rows[pk] for pk in parts[name] if pk in rows]
        for name in ("new", "today", "week", "upcoming")
    )
    # Ended: the latest first, looked for in the last weeks before the whole past.
    for starts_from in (today_start - RECENT_PAST, None):
        board.past = kept_rows(
            "dashboard.past",
            _past_part,
            user,
            now,
            starts_from=starts_from,
            before=today_start,
            limit=past_limit,
        )
        if len(board.past) == past_limit:
            break
    if user.has_perm("meetings.organise_meeting"):
        # Those going on or to come, from this minute (the same for a minute's requests, so
        # that the kept queries serve them all): with the first ten shown, those that ended in
        # the week before (read from then while the list was not cut) filled a busy office
        # clerk's list, its coming meetings beyond it. The ended ones are in the meeting list,
        # their follow-ups in the to-do list.
        minute = now.replace(second=0, microsecond=0)
        organised = kept_not_ended(_organised, minute, DASHBOARD_SHOWN + 1)
        board.organised = organised[:DASHBOARD_SHOWN]
        board.organised_more = len(organised) > DASHBOARD_SHOWN
    return board


def _going_on(user: User, now: datetime) -> QuerySet[Meeting, int]:
    return (
        Meeting.objects.filter(start_at__lt=now, end_at__gte=now)
        .order_by()
        .values_list("pk", flat=True)
    )


def going_on_at(since: datetime) -> list[int]:
    """The meetings that started before `since` and end at or after it, unordered and unlimited,
    so that the planner reads the end index rather than walking the start index in the hope of
    an early match. From a query kept once per process (accounts.kept), `since` put in: a
    dashboard asks it for three or four moments (its days, its organised meetings, the banner's
    two windows), and building it each time was 8 % of a unit's dashboard and 18 % of an office
    clerk's in Python (sampled under load at 100 000 meetings), for a query PostgreSQL answers in
    a tenth of a millisecond."""
    return kept_rows("meetings.going_on_at", _going_on, ANYONE, since)


def not_ended(
    meetings: QuerySet[Meeting],
    since: datetime,
    limit: int,
    *,
    later: QuerySet[Meeting] | None = None,
) -> list[Meeting]:
    """The first `limit` of these meetings in start order that end at or after `since`; `later`,
    when given, the same meetings starting at or after `since`, read another way.

    Asked as one query, PostgreSQL walks the start index from the oldest meeting and tests the
    end of each (at 100 000 meetings, 90 000 rows and 90 ms for an office's clerk). Asked in two
    parts, each reads only its rows: those that started before `since` and are still going (in
    the whole province a handful, from the end and start index alone, then kept to these
    meetings), and those that start after it (the start index, every row a match: a meeting
    ends after it starts, so their end is not asked). The dashboard asks the same two parts
    (dashboard_for), each from a kept query."""
    after = meetings.filter(start_at__gte=since) if later is None else later
    return _two_parts(
        since,
        limit,
        lambda going_on, n: list(meetings.filter(pk__in=going_on).order_by(*ORDERED)[:n]),
        lambda n: list(after.order_by(*ORDERED)[:n]),
    )


def _two_parts(
    since: datetime,
    limit: int,
    going_on_rows: Callable[[list[int], int], list[M]],
    later_rows: Callable[[int], list[M]],
) -> list[M]:
    """not_ended's parts: the first `limit` of the meetings going on at `since`, then of those
    starting after it, each part read by the function given."""
    going_on = going_on_at(since)
    rows = going_on_rows(going_on, limit) if going_on else []
    if len(rows) < limit:
        rows += later_rows(limit - len(rows))
    return rows


@dataclass
class RoomClash:
    """Another published meeting in the same room at an overlapping time; `visible` says whether
    the account may open it (else only its organiser and time are shown)."""

    meeting: Meeting
    visible: bool


def room_clashes(meeting: Meeting, user: User, limit: int = 10) -> list[RoomClash]:
    """The published meetings that already hold this meeting's room at an overlapping time, in
    time order (a room booked twice is found before the invitations go out)."""
    if meeting.location_id is None or meeting.start_at is None or meeting.end_at is None:
        return []
    others = list(
        Meeting.objects.alive()
        .filter(
            location_id=meeting.location_id,
            status=Meeting.Status.PUBLISHED,
            start_at__lt=meeting.end_at,
            end_at__gt=meeting.start_at,
        )
        .exclude(pk=meeting.pk)
        .select_related("organiser_unit")
        .order_by("start_at", "id")[:limit]
    )
    if not others:
        return []
    seen = set(
        meetings_visible_to(user).filter(pk__in=[m.pk for m in others]).values_list("pk", flat=True)
    )
    return [RoomClash(meeting=m, visible=m.pk in seen) for m in others]


def public_meetings() -> QuerySet[Meeting]:
    """What the public schedule shows (S1): published, postponed or cancelled, marked public."""
    return (
        Meeting.objects.alive()
        .filter(is_public=True)
        .exclude(status=Meeting.Status.DRAFT)
        .select_related("location", "organiser_unit", "chair", "type", "form")
    )


def meeting_for(user: User, pk: int, perm: str = "meetings.view_meeting") -> Meeting:
    """The meeting a page or an API call acts on: one the user may see (else Http404), then the
    action's rule (else PermissionDenied)."""
    found = kept_rows("meetings.meeting_for", _meeting_of, user, timezone.now(), ids={"pk": pk})
    if not found or not user.has_perm("meetings.view_meeting", found[0]):
        raise Http404  # one the account may not open is not there for it (core.shortcuts)
    meeting = found[0]
    if perm != "meetings.view_meeting" and not user.has_perm(perm, meeting):
        raise PermissionDenied
    return meeting


def _meeting_of(user: User, now: datetime, *, pk: int) -> QuerySet[Meeting]:
    """The meeting and what its pages show of it, from a query kept per shape of account
    (accounts.kept): every page of a meeting and every ballot reads it."""
    meetings = Meeting.objects.alive().select_related(
        "type", "form", "field", "location__unit", "chair", "organiser_unit", "secretary"
    )
    return meetings.filter(pk=pk)[:1]


def series_meetings(user: User, meeting: Meeting) -> list[Meeting]:
    """The meetings of the meeting's series that this account may open, the meeting included, in
    date order, each with its series: one query however long the series."""
    if meeting.series_id is None:
        return []
    return list(
        meetings_visible_to(user)
        .filter(series_id=meeting.series_id)
        .select_related("series")
        .order_by("start_at", "id")[:100]
    )


def rows_of_meeting(
    name: str,
    build: Callable[..., QuerySet[Any, M]],
    meeting: Meeting,
    user: User = ANYONE,
    **given: Hashable,
) -> list[M]:
    """`build(user, now, meeting=meeting.pk, **given)`'s rows from the query kept under `name`
    (accounts.kept: per shape of `user`, once per process for ANYONE), each with this meeting
    (its rules and links ask for it: this one, not a query each). Every view of a meeting
    asks its parts this way."""
    rows = kept_rows(name, build, user, timezone.now(), ids={"meeting": meeting.pk}, **given)
    for row in rows:
        row.meeting = meeting  # type: ignore[attr-defined]
    return rows


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items in order, each with this meeting."""
    return rows_of_meeting("meetings.agenda_items", _agenda_of, meeting)


def _agenda_of(anyone: User, now: datetime, *, meeting: int) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting_id=meeting).order_by("position", "id")


def invitations_listed(meeting: Meeting) -> list[Invitation]:
    """The meeting's invitations in the order they were made, with their unit, committee and
    person (and the person's unit), each with this meeting: the meeting page's list of invitees,
    from a query kept once per process (accounts.kept)."""
    return rows_of_meeting("meetings.invitations_listed", _invitations_of, meeting)


def _invitations_of(anyone: User, now: datetime, *, meeting: int) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(meeting_id=meeting)
    return invitations.select_related("unit", "committee", "person__unit").order_by("id")


@dataclass(frozen=True)
class Invitee:
    """One invitation as the meeting page lists it, in plain values: its invitee's ids, the
    invitee as the invitation names it (str(invitation)) and the note."""

    pk: int
    unit_id: int | None
    committee_id: int | None
    person_id: int | None
    name: str
    note: str

    @property
    def kind(self) -> str:
        return Invitation.kind_of(self.unit_id, self.committee_id)

    def invitation(self, meeting: Meeting) -> Invitation:
        """The invitation itself, with its meeting: what the rules ask of one."""
        return Invitation(
            pk=self.pk,
            meeting=meeting,
            unit_id=self.unit_id,
            committee_id=self.committee_id,
            person_id=self.person_id,
            note=self.note,
        )


def invitees_listed(meeting: Meeting) -> list[Invitee]:
    """The meeting page's list of invitees, in the order they were invited, from a query kept
    once per process (accounts.kept) of their names alone: the invitations of invitations_listed
    with their unit, committee and person as models were four model instances a row, and with
    rendering them a tenth of an organiser's page of a meeting of 30 invitees in Python."""
    rows = kept_rows(
        "meetings.invitees_listed",
        _invitees_of,
        ANYONE,
        timezone.now(),
        ids={"meeting": meeting.pk},
    )
    return [
        Invitee(
            pk,
            unit_id,
            committee_id,
            person_id,
            unit_name if unit_id else committee_name if committee_id else Person.label(*person),
            note,
        )
        for pk, unit_id, committee_id, person_id, note, unit_name, committee_name, *person in rows
    ]


def _invitees_of(anyone: User, now: datetime, *, meeting: int) -> QuerySet[Invitation, Any]:
    return (
        Invitation.objects.filter(meeting_id=meeting)
        .order_by("id")
        .values_list(
            "pk",
            "unit_id",
            "committee_id",
            "person_id",
            "note",
            "unit__name",
            "committee__name",
            "person__full_name",
            "person__position",
        )
    )


def agenda_with_documents(meeting: Meeting, documents: Iterable[Any]) -> list[AgendaItem]:
    """The meeting's items in order, each with `attached`: the given documents (already loaded,
    in their order) that belong to it. One query, however many items and documents."""
    items = agenda_items(meeting)
    by_item: dict[int, list[Any]] = {}
    for document in documents:
        if document.agenda_item_id is not None:
            by_item.setdefault(document.agenda_item_id, []).append(document)
    for item in items:
        item.attached = by_item.get(item.pk, [])  # type: ignore[attr-defined]
    return items


# ---- who approves the minutes ---------------------------------------------------------------
# The chair approves the minutes when the chair (a person) has an active account; otherwise the
# organiser unit's leaders (role "unit_leader") do (the rule: minutes.approve_minutes). Here so
# that the meeting form can say so when the chair is chosen, and the minutes pages name them.


@dataclass
class MinutesApprover:
    chair: Person | None
    unit: Unit | None
    chair_account: User | None = None
    leaders: list[User] = field(default_factory=list)

    @property
    def is_chair(self) -> bool:
        return self.chair_account is not None

    @property
    def nobody(self) -> bool:
        return self.chair_account is None and not self.leaders


def minutes_approver(chair: Person | None, unit: Unit | None) -> MinutesApprover:
    """Who approves the minutes of a meeting with this chair and organiser unit; two queries."""
    approver = MinutesApprover(chair=chair, unit=unit)
    if chair is not None:
        approver.chair_account = User.objects.filter(person=chair, is_active=True).first()
    if approver.chair_account is None and unit is not None:
        approver.leaders = list(
            User.objects.filter(is_active=True, role=User.Role.UNIT_LEADER, unit=unit).order_by(
                "full_name", "username"
            )
        )
    return approver


def chairs_with_accounts(chairs: QuerySet[Person]) -> QuerySet[Person]:
    """The people who may chair, each with `has_account`: whether an active account is theirs."""
    return chairs.annotate(
        has_account=Exists(User.objects.filter(person_id=OuterRef("pk"), is_active=True))
    )


def history_for(user: User, meeting: Meeting, limit: int = 100) -> list[MeetingChange]:
    """The meeting's history, newest first. The organisers see all of it; everyone else sees what
    was marked for invitees and happened once the meeting was first sent: its drafting (edits,
    documents added and removed, invitees tried out) is the organisers' business, whatever flag
    a step was recorded with. One query, kept per shape of account (accounts.kept): every view
    of a meeting asks it."""
    everything = user.is_superuser or is_organiser(user, meeting)
    return rows_of_meeting(
        "meetings.history_for", _history_of, meeting, user, limit=limit, everything=everything
    )


def _history_of(
    user: User, now: datetime, *, meeting: int, limit: int, everything: bool
) -> QuerySet[MeetingChange]:
    changes = MeetingChange.objects.filter(meeting_id=meeting)
    if not everything:
        # From the first sending on (none yet: no row is at or after no sending).
        first_sent = MeetingChange.objects.filter(
            meeting_id=meeting, kind=MeetingChange.Kind.PUBLISHED
        ).order_by("id")
        changes = changes.filter(
            visible_to_invitees=True, pk__gte=Subquery(first_sent.values("pk")[:1])
        )
    return changes.select_related("by").order_by("-at", "-id")[:limit]
