"""Counts kept per unit and month (`UnitMonth`, `AccountMonth`) and the recounts they come from.

One set of counting functions (`count_*`) answers "how many, between these two local days" from
the raw rows. The kept rows are those functions' answers for whole months, and the reports add
up kept months and count only the partial months at the edges of a period from the raw rows, so
the figures are the same whichever way they are reached.

Keeping: every event that can change a figure (a meeting published, moved, cancelled or deleted;
an invitation, a reply, a roll-call mark, a first view, a download, a comment, a sign-in) makes
its (unit, month) rows be counted again from the raw rows, in the event's own transaction. The
rows are locked before they are counted, and in PostgreSQL's READ COMMITTED each statement sees
what was committed before it began, so of two events racing on one row the second to take the
lock counts both: the row never keeps a stale count. A recount of one unit's month is a handful
of indexed queries; where one action makes many events (publishing a meeting with 500 invitees)
`batch()` counts each touched month once at the end.

Rows are rewritten rather than incremented because the figures are "meetings, each once" (two
accounts of one unit downloading count one meeting) and move with a meeting's start and status;
a recount is right by construction where increments would need every transition written twice.

`rebuild()` (`manage.py rebuild_figures`) counts every month again; data loaded around the
models' save (the demo, the generator, a restore) ends with it.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from accounts.models import LoginEvent
from attendance.models import Presence, Reply
from attendance.selectors import PRESENT_STATUSES
from comments.models import Comment
from core.dates import within_days
from documents.models import Document, Download
from meetings.models import Invitation, Meeting, Receipt

from .models import NO_UNIT, NO_USER, AccountMonth, MeetingMonth, UnitMonth

# In person, online (B9) or by a substitute: the one definition in attendance.
ATTENDED = list(PRESENT_STATUSES)

# Columns counted by the meeting's start (the unit's invitations to published meetings) and by
# the event's own time; each group of columns is one query.
INVITATIONS = ("invited", "named", "present")
VIEWED, DOWNLOADED, COMMENTED = ("viewed",), ("downloaded",), ("commented",)
ROLL = ("rolled", "rolled_present")
MEETING_COLUMNS = (*INVITATIONS, *VIEWED, *DOWNLOADED, *COMMENTED, *ROLL)
DOWNLOADS, COMMENTS = ("downloads",), ("comments",)
EVENT_COLUMNS = (*DOWNLOADS, *COMMENTS)
COLUMNS = (*MEETING_COLUMNS, *EVENT_COLUMNS)

Figures = dict[int, Counter[str]]


# ---- months ----------------------------------------------------------------------------------


def month_of(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def month_end(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def split(first: date, last: date) -> tuple[list[date], list[tuple[date, date]]]:
    """The whole months of a period, and its partial months as (first day, last day)."""
    whole: list[date] = []
    partial: list[tuple[date, date]] = []
    month = first.replace(day=1)
    while month <= last:
        end = month_end(month)
        low, high = max(first, month), min(last, end)
        if low == month and high == end:
            whole.append(month)
        else:
            partial.append((low, high))
        month = end + timedelta(days=1)
    return whole, partial


# ---- recounts from the raw rows --------------------------------------------------------------


def _keys(units: Iterable[int] | None, field: str = "unit_id") -> Q:
    """Rows of these unit keys (NO_UNIT: rows without a unit); None: every row."""
    if units is None:
        return Q()
    units = set(units)
    found = Q(**{f"{field}__in": units - {NO_UNIT}})
    return found | Q(**{f"{field}__isnull": True}) if NO_UNIT in units else found


def counted_invitations(first: date, last: date) -> QuerySet[Invitation]:
    """Units' invitations to published meetings starting between the two days."""
    return Invitation.objects.filter(
        unit__isnull=False,
        meeting__deleted_at__isnull=True,
        meeting__status=Meeting.Status.PUBLISHED,
        **within_days("meeting__start_at", first, last),
    )


def count_meetings(
    first: date, last: date, units: Iterable[int] | None = None, columns: Iterable[str] = COLUMNS
) -> Figures:
    """Per unit, its invitations to published meetings starting between the two days: invited,
    named attendees, present (in person, online or by a substitute), viewed before the start,
    downloaded, commented (each meeting once), and the invitations to meetings whose roll was
    taken."""
    columns = set(columns)
    figures: Figures = defaultdict(Counter)
    invitations = counted_invitations(first, last).filter(_keys(units))
    # An invitation attended when one of its people did (the roll is per person): distinct
    # counts, as the join on the marks repeats an invitation once per mark.
    present = Q(presences__status__in=ATTENDED)
    if columns & set(INVITATIONS):
        for row in (
            invitations.values("unit_id")
            .annotate(
                invited=Count("pk", distinct=True),
                named=Count("pk", filter=Q(reply__declined=False), distinct=True),
                present=Count("pk", filter=present, distinct=True),
            )
            .order_by()
        ):
            figures[row["unit_id"]].update({k: row[k] for k in INVITATIONS})
    if columns & set(ROLL):
        taken = Presence.objects.filter(
            **within_days("invitation__meeting__start_at", first, last)
        ).values("invitation__meeting_id")
        for row in (
            invitations.filter(meeting_id__in=taken)
            .values("unit_id")
            .annotate(
                rolled=Count("pk", distinct=True),
                rolled_present=Count("pk", filter=present, distinct=True),
            )
            .order_by()
        ):
            figures[row["unit_id"]].update({k: row[k] for k in ROLL})
    invited = Invitation.objects.filter(meeting=OuterRef("meeting_id"), unit=OuterRef("unit_id"))
    meeting_filter: dict[str, Any] = {
        "unit__isnull": False,
        "meeting__deleted_at__isnull": True,
        "meeting__status": Meeting.Status.PUBLISHED,
        **within_days("meeting__start_at", first, last),
    }
    for name, queryset in (
        ("viewed", Receipt.objects.filter(first_viewed_at__lt=F("meeting__start_at"))),
        ("downloaded", Download.objects.all()),
        ("commented", Comment.objects.all()),
    ):
        if name not in columns:
            continue
        for row in (
            queryset.filter(_keys(units), **meeting_filter)
            .filter(Exists(invited))
            .values("unit_id")
            .annotate(n=Count("meeting_id", distinct=True))
            .order_by()
        ):
            figures[row["unit_id"]][name] = row["n"]
    return figures


def count_events(
    first: date, last: date, units: Iterable[int] | None = None, columns: Iterable[str] = COLUMNS
) -> Figures:
    """Per unit key, the downloads and comments made between the two days."""
    columns = set(columns)
    figures: Figures = defaultdict(Counter)
    for name, queryset in (
        ("downloads", Download.objects.filter(**within_days("at", first, last))),
        ("comments", Comment.objects.filter(**within_days("created_at", first, last))),
    ):
        if name not in columns:
            continue
        for row in queryset.filter(_keys(units)).values("unit_id").annotate(n=Count("pk")):
            figures[row["unit_id"] or NO_UNIT][name] += row["n"]
    return figures


def count_logins(
    first: date, last: date, users: Iterable[int] | None = None, unit: int | None = None
) -> dict[tuple[int, int], int]:
    """Successful sign-ins between the two days per (account key, unit key)."""
    logins = LoginEvent.objects.filter(
        kind=LoginEvent.Kind.SUCCESS, **within_days("at", first, last)
    )
    logins = logins.filter(_keys(users, "user_id"), _keys(None if unit is None else [unit]))
    counts: dict[tuple[int, int], int] = Counter()
    for row in logins.values("user_id", "unit_id").annotate(n=Count("pk")).order_by():
        counts[(row["user_id"] or NO_USER, row["unit_id"] or NO_UNIT)] += row["n"]
    return counts


GROUP = ("organiser_unit_id", "field_id", "type_id", "form_id")
GROUP_KEYS = ("organiser_key", "field_key", "type_key", "form_key")
MEETING_GROUP_COLUMNS = ("meetings", "published", "late", "cancelled", "postponed", "documents")
Group = tuple[int, ...]  # organiser, field, type, form (0: none)


def counted_meetings(first: date, last: date) -> QuerySet[Meeting]:
    """Meetings held (or to be held) between the two days: not drafts, not deleted."""
    return Meeting.objects.filter(
        deleted_at__isnull=True, **within_days("start_at", first, last)
    ).exclude(status=Meeting.Status.DRAFT)


def _group_q(groups: Iterable[Group]) -> Q:
    """Meetings of these (organiser, field, type, form) groups; 0 stands for none."""
    found = Q(pk__in=[])
    for group in groups:
        lookups = {
            name if key else f"{name.removesuffix('_id')}__isnull": key or True
            for name, key in zip(GROUP, group, strict=True)
        }
        found |= Q(**lookups)
    return found


def count_meeting_groups(meetings: QuerySet[Meeting]) -> dict[tuple[date, Group], Counter[str]]:
    """Per local month and (organiser, field, type, form), these meetings: how many, published,
    late, cancelled, postponed, and their documents (not deleted)."""
    tz = timezone.get_current_timezone()
    published = Q(published_at__isnull=False)
    counts: dict[tuple[date, Group], Counter[str]] = defaultdict(Counter)

    def key(row: dict[str, Any], prefix: str = "") -> tuple[date, Group]:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        return month, tuple(row[f"{prefix}{name}"] or 0 for name in GROUP)

    for row in (
        meetings.annotate(month=TruncMonth("start_at", tzinfo=tz))
        .values("month", *GROUP)
        .annotate(
            meetings=Count("pk"),
            published=Count("pk", filter=published),
            late=Count("pk", filter=published & ~Q(late_reason="")),
            cancelled=Count("pk", filter=Q(status=Meeting.Status.CANCELLED)),
            postponed=Count("pk", filter=Q(status=Meeting.Status.POSTPONED)),
        )
        .order_by()
    ):
        counts[key(row)].update({c: row[c] for c in MEETING_GROUP_COLUMNS if c != "documents"})
    documents = Document.objects.filter(deleted_at__isnull=True, meeting__in=meetings.values("pk"))
    for row in (
        documents.annotate(month=TruncMonth("meeting__start_at", tzinfo=tz))
        .values("month", *(f"meeting__{name}" for name in GROUP))
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[key(row, "meeting__")]["documents"] += row["n"]
    return counts


def meeting_groups(first: date, last: date) -> dict[tuple[date, Group], Counter[str]]:
    """Per month and group, over the period: kept whole months, recounted partial ones."""
    whole, partial = split(first, last)
    counts: dict[tuple[date, Group], Counter[str]] = defaultdict(Counter)
    if whole:
        for row in MeetingMonth.objects.filter(month__in=whole).values(
            "month", *GROUP_KEYS, *MEETING_GROUP_COLUMNS
        ):
            key = (row["month"], tuple(row[k] for k in GROUP_KEYS))
            counts[key].update({c: row[c] for c in MEETING_GROUP_COLUMNS if row[c]})
    for low, high in partial:
        for key, values in count_meeting_groups(counted_meetings(low, high)).items():
            counts[key].update(values)
    return counts


# ---- what the reports read: kept whole months, recounted edges ------------------------------


def _add(into: Figures, more: Figures) -> None:
    for key, counts in more.items():
        into[key].update(counts)


def unit_figures(first: date, last: date, unit: int | None = None) -> Figures:
    """Per unit key, every column over the period (one unit's, or all)."""
    whole, partial = split(first, last)
    figures: Figures = defaultdict(Counter)
    if whole:
        kept = UnitMonth.objects.filter(month__in=whole)
        if unit is not None:
            kept = kept.filter(unit_key=unit)
        for row in kept.values("unit_key").annotate(**{c: Sum(c) for c in COLUMNS}).order_by():
            figures[row["unit_key"]].update({c: row[c] for c in COLUMNS if row[c]})
    units = None if unit is None else [unit]
    for low, high in partial:
        _add(figures, count_meetings(low, high, units))
        _add(figures, count_events(low, high, units))
    return figures


def login_figures(first: date, last: date, unit: int | None = None) -> tuple[Figures, int]:
    """Per unit key: sign-ins and accounts that signed in (each once); and the accounts over
    all units (an account that moved counts once)."""
    whole, partial = split(first, last)
    logins: Counter[int] = Counter()
    accounts: dict[int, set[int]] = defaultdict(set)
    if whole:
        kept = AccountMonth.objects.filter(month__in=whole)
        if unit is not None:
            kept = kept.filter(unit_key=unit)
        for row in kept.values("unit_key").annotate(n=Sum("logins")).order_by():
            logins[row["unit_key"]] += row["n"]
        pairs = (
            kept.filter(logins__gt=0)
            .exclude(user_key=NO_USER)
            .values_list("unit_key", "user_key")
            .distinct()
        )
        for unit_key, user_key in pairs:
            accounts[unit_key].add(user_key)
    for low, high in partial:
        for (user_key, unit_key), n in count_logins(low, high, unit=unit).items():
            logins[unit_key] += n
            if user_key != NO_USER:
                accounts[unit_key].add(user_key)
    figures: Figures = defaultdict(Counter)
    for unit_key in logins.keys() | accounts.keys():
        figures[unit_key].update(logins=logins[unit_key], accounts=len(accounts[unit_key]))
    everyone = set().union(*accounts.values()) if accounts else set()
    return figures, len(everyone)


# ---- keeping the rows ------------------------------------------------------------------------


_batch = threading.local()


@contextmanager
def batch() -> Iterator[None]:
    """Within it, recounts wait and each touched month is counted once at the end (still inside
    the caller's transaction)."""
    outer = getattr(_batch, "units", None) is None
    if outer:
        _batch.units, _batch.logins = defaultdict(lambda: (set(), set())), defaultdict(set)
    try:
        yield
        if outer:
            units, logins = _batch.units, _batch.logins
            _batch.units = _batch.logins = None
            for month, (keys, columns) in sorted(units.items()):
                _refresh_units(month, keys, [c for c in COLUMNS if c in columns])
            for month, pairs in sorted(logins.items()):
                _refresh_logins(month, pairs)
    finally:
        if outer:
            _batch.units = _batch.logins = None


def refresh_units(month: date, units: Iterable[int], columns: Iterable[str]) -> None:
    """Count these units' month again (now, or at the end of the batch)."""
    units = set(units)
    if not units:
        return
    pending = getattr(_batch, "units", None)
    if pending is not None:
        pending[month][0].update(units)
        pending[month][1].update(columns)
    else:
        _refresh_units(month, units, list(columns))


def refresh_logins(month: date, pairs: Iterable[tuple[int, int]]) -> None:
    pending = getattr(_batch, "logins", None)
    if pending is not None:
        pending[month].update(pairs)
    else:
        _refresh_logins(month, set(pairs))


def _refresh_units(month: date, units: set[int] | None, columns: list[str]) -> None:
    """Count these units' month again (None: every unit), under a lock on their rows."""
    last = month_end(month)
    with transaction.atomic():
        if units is None:
            counted = _count_units(month, last, None, columns)
            units = set(counted) | set(
                UnitMonth.objects.filter(month=month).values_list("unit_key", flat=True)
            )
        UnitMonth.objects.bulk_create(
            [UnitMonth(unit_key=u, month=month) for u in sorted(units)], ignore_conflicts=True
        )
        rows = list(
            UnitMonth.objects.select_for_update()
            .filter(month=month, unit_key__in=units)
            .order_by("unit_key")
        )
        counted = _count_units(month, last, units, columns)
        for row in rows:
            for column in columns:
                setattr(row, column, counted.get(row.unit_key, Counter())[column])
        UnitMonth.objects.bulk_update(rows, columns, batch_size=500)


def _count_units(month: date, last: date, units: set[int] | None, columns: list[str]) -> Figures:
    figures: Figures = defaultdict(Counter)
    meeting_columns = [c for c in columns if c in MEETING_COLUMNS]
    event_columns = [c for c in columns if c in EVENT_COLUMNS]
    if meeting_columns:
        _add(figures, count_meetings(month, last, units, meeting_columns))
    if event_columns:
        _add(figures, count_events(month, last, units, event_columns))
    return figures


def _refresh_logins(month: date, pairs: set[tuple[int, int]] | None) -> None:
    """Count the sign-ins of these accounts' month again (None: every account), locking every
    row of theirs in the month and the rows of the events being counted."""
    last = month_end(month)
    with transaction.atomic():
        users = None if pairs is None else {user for user, _unit in pairs}
        if pairs is None:
            pairs = set(count_logins(month, last))
        AccountMonth.objects.bulk_create(
            [AccountMonth(user_key=u, unit_key=k, month=month) for u, k in sorted(pairs)],
            ignore_conflicts=True,
        )
        rows = AccountMonth.objects.select_for_update().filter(month=month)
        if users is not None:
            rows = rows.filter(user_key__in=users)
        locked = list(rows.order_by("user_key", "unit_key"))
        counted = count_logins(month, last, users)
        for row in locked:
            row.logins = counted.pop((row.user_key, row.unit_key), 0)
        AccountMonth.objects.bulk_update(locked, ["logins"], batch_size=500)
        AccountMonth.objects.bulk_create(  # pairs whose rows another transaction is writing
            [
                AccountMonth(user_key=u, unit_key=k, month=month, logins=n)
                for (u, k), n in counted.items()
            ],
            ignore_conflicts=True,
        )


def refresh_groups(month: date, groups: set[Group] | None) -> None:
    """Count these groups' month again (None: every group), under a lock on their rows."""
    last = month_end(month)
    with transaction.atomic():
        if groups is None:
            groups = {g for _m, g in count_meeting_groups(counted_meetings(month, last))} | {
                tuple(g) for g in MeetingMonth.objects.filter(month=month).values_list(*GROUP_KEYS)
            }
        if not groups:
            return
        MeetingMonth.objects.bulk_create(
            [
                MeetingMonth(month=month, **dict(zip(GROUP_KEYS, g, strict=True)))
                for g in sorted(groups)
            ],
            ignore_conflicts=True,
        )
        rows = list(
            MeetingMonth.objects.select_for_update()
            .filter(month=month)
            .filter(_group_q_keys(groups))
            .order_by(*GROUP_KEYS)
        )
        meetings = counted_meetings(month, last).filter(_group_q(groups))
        counted = count_meeting_groups(meetings)
        for row in rows:
            values = counted.get((month, tuple(getattr(row, k) for k in GROUP_KEYS)), Counter())
            for column in MEETING_GROUP_COLUMNS:
                setattr(row, column, values[column])
        MeetingMonth.objects.bulk_update(rows, list(MEETING_GROUP_COLUMNS), batch_size=500)


def _group_q_keys(groups: Iterable[Group]) -> Q:
    found = Q(pk__in=[])
    for group in groups:
        found |= Q(**dict(zip(GROUP_KEYS, group, strict=True)))
    return found


def rebuild(progress: Any = None) -> int:
    """Every month counted again from the raw rows; returns how many months."""
    bounds = [
        Meeting.objects.aggregate(first=Min("start_at"))["first"],
        LoginEvent.objects.aggregate(first=Min("at"))["first"],
        Download.objects.aggregate(first=Min("at"))["first"],
        Comment.objects.aggregate(first=Min("created_at"))["first"],
        UnitMonth.objects.aggregate(first=Min("month"))["first"],
        AccountMonth.objects.aggregate(first=Min("month"))["first"],
        MeetingMonth.objects.aggregate(first=Min("month"))["first"],
    ]
    starts = [month_of(b) if isinstance(b, datetime) else b for b in bounds if b is not None]
    if not starts:
        return 0
    latest = [
        Meeting.objects.order_by("-start_at").values_list("start_at", flat=True).first(),
        timezone.now(),
    ]
    kept_last = UnitMonth.objects.order_by("-month").values_list("month", flat=True).first()
    end = max([month_of(m) for m in latest if m is not None] + ([kept_last] if kept_last else []))
    months = []
    month = min(starts)
    while month <= end:
        months.append(month)
        month = month_end(month) + timedelta(days=1)
    for done, month in enumerate(months, 1):
        _refresh_units(month, None, list(COLUMNS))
        _refresh_logins(month, None)
        refresh_groups(month, None)
        if progress:
            progress(done, len(months))
    return len(months)


def rebuild_if_empty(**kwargs: Any) -> None:
    """After `migrate`: an installation that had meetings before these counts were kept gets
    them counted once (later upgrades find rows and leave them alone)."""
    if UnitMonth._meta.db_table not in connection.introspection.table_names():
        return  # migrated back to before the counts were kept
    missing = not all(m.objects.exists() for m in (UnitMonth, AccountMonth, MeetingMonth))
    if missing and (Meeting.objects.exclude(status=Meeting.Status.DRAFT).exists()):
        rebuild()


# ---- which rows an event touches -------------------------------------------------------------


def _counts(status: str, deleted_at: datetime | None) -> bool:
    return status == Meeting.Status.PUBLISHED and deleted_at is None


STATE = ("status", "start_at", "deleted_at", "published_at", "late_reason", *GROUP)


def _meeting_state(meeting_id: int) -> dict[str, Any] | None:
    return Meeting.objects.filter(pk=meeting_id).values(*STATE).first()


def _group_of(state: dict[str, Any]) -> tuple[date, Group] | None:
    """The month and group a meeting counts in; None for drafts and deleted meetings."""
    if state["status"] == Meeting.Status.DRAFT or state["deleted_at"] is not None:
        return None
    return month_of(state["start_at"]), tuple(state[name] or 0 for name in GROUP)


def _refresh_meeting_groups(*states: dict[str, Any] | None) -> None:
    by_month: dict[date, set[Group]] = defaultdict(set)
    for state in states:
        found = _group_of(state) if state else None
        if found:
            by_month[found[0]].add(found[1])
    for month, groups in sorted(by_month.items()):
        refresh_groups(month, groups)


def _invited_units(meeting_id: int) -> list[int]:
    return list(
        Invitation.objects.filter(meeting_id=meeting_id, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )


def _meeting_month(meeting_id: int) -> date | None:
    """The month of a meeting that counts; None for drafts, postponed, cancelled, deleted."""
    state = _meeting_state(meeting_id)
    if state is None or not _counts(state["status"], state["deleted_at"]):
        return None
    return month_of(state["start_at"])


def _meeting_before(sender: Any, instance: Meeting, raw: bool = False, **kwargs: Any) -> None:
    before = None if raw or instance.pk is None else _meeting_state(instance.pk)
    setattr(instance, "_figures_before", before)  # noqa: B010 (a note for post_save)


def _meeting_saved(
    sender: Any, instance: Meeting, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    if created:  # no invitations yet: only the meeting tables
        _refresh_meeting_groups({name: getattr(instance, name) for name in STATE})
        return
    before = getattr(instance, "_figures_before", None)
    after: dict[str, Any] = {name: getattr(instance, name) for name in STATE}
    if before == after:
        return
    _refresh_meeting_groups(before, after)
    compliance = ("status", "start_at", "deleted_at")
    if before and all(before[name] == after[name] for name in compliance):
        return
    months = set()
    for state in (before, after):
        if state and _counts(state["status"], state["deleted_at"]):
            months.add(month_of(state["start_at"]))
    if months:
        units = _invited_units(instance.pk)
        for month in months:
            refresh_units(month, units, MEETING_COLUMNS)


def _meeting_deleting(sender: Any, instance: Meeting, **kwargs: Any) -> None:
    month = _meeting_month(instance.pk)
    gone = (month, _invited_units(instance.pk), _meeting_state(instance.pk))
    setattr(instance, "_figures_gone", gone)  # noqa: B010 (a note for post_delete)


def _meeting_deleted(sender: Any, instance: Meeting, **kwargs: Any) -> None:
    gone = getattr(instance, "_figures_gone", None)
    if gone is None:
        return
    month, units, state = gone
    if month:
        refresh_units(month, units, MEETING_COLUMNS)
    _refresh_meeting_groups(state)


def _document_changed(sender: Any, instance: Document, raw: bool = False, **kwargs: Any) -> None:
    """A document added, deleted or restored: its meeting's group counted again."""
    if not raw:
        _refresh_meeting_groups(_meeting_state(instance.meeting_id))


def _invitation_changed(
    sender: Any, instance: Invitation, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not instance.unit_id or kwargs.get("created") is False:
        return
    month = _meeting_month(instance.meeting_id)
    if month:
        refresh_units(month, [instance.unit_id], MEETING_COLUMNS)


def _reply_changed(sender: Any, instance: Reply, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    invitation = (
        Invitation.objects.filter(pk=instance.invitation_id).values("unit_id", "meeting_id").first()
    )
    if invitation and invitation["unit_id"]:
        month = _meeting_month(invitation["meeting_id"])
        if month:
            refresh_units(month, [invitation["unit_id"]], INVITATIONS)


def _presence_changed(sender: Any, instance: Presence, raw: bool = False, **kwargs: Any) -> None:
    """A mark changes its unit's presence; the first mark of a meeting (or the last one taken
    away) makes the meeting rolled for every invited unit."""
    if raw:
        return
    invitation = (
        Invitation.objects.filter(pk=instance.invitation_id).values("unit_id", "meeting_id").first()
    )
    if invitation is None:
        return
    month = _meeting_month(invitation["meeting_id"])
    if month is None:
        return
    others = Presence.objects.filter(invitation__meeting_id=invitation["meeting_id"]).exclude(
        pk=instance.pk
    )
    if others.exists():
        if invitation["unit_id"]:
            refresh_units(month, [invitation["unit_id"]], ("present", *ROLL))
    else:
        refresh_units(month, _invited_units(invitation["meeting_id"]), ("present", *ROLL))


def receipt_viewed(receipt_meeting_id: int, unit_id: int | None) -> None:
    if unit_id:
        month = _meeting_month(receipt_meeting_id)
        if month:
            refresh_units(month, [unit_id], VIEWED)


def on_receipt_first_viewed(
    sender: Any, *, meeting_id: int, unit_id: int | None, **kwargs: Any
) -> None:
    receipt_viewed(meeting_id, unit_id)


def _receipt_changed(sender: Any, instance: Receipt, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.first_viewed_at is None or not instance.unit_id:
        return
    viewed_before = Receipt.objects.filter(
        meeting_id=instance.meeting_id,
        unit_id=instance.unit_id,
        first_viewed_at__lt=F("meeting__start_at"),
    )
    if not viewed_before.exclude(pk=instance.pk).exists():  # else the unit counts already
        receipt_viewed(instance.meeting_id, instance.unit_id)


def _bump(month: date, unit_key: int, column: str, by: int) -> None:
    """An event column (downloads, comments) moved by one, inside the event's transaction."""
    UnitMonth.objects.bulk_create(
        [UnitMonth(unit_key=unit_key, month=month)], ignore_conflicts=True
    )
    UnitMonth.objects.filter(unit_key=unit_key, month=month).update(**{column: F(column) + by})


def _event(
    instance: Download | Comment, when: datetime, column: str, per_meeting: str, **kwargs: Any
) -> None:
    """A download or a comment: one more (or one less) in its own month, and, if it is the
    unit's first on the meeting (or its last one gone), the unit's meetings of the meeting's
    month counted again.

    The count of the month is moved by one rather than counted again: a busy office makes
    thousands a month. That is safe only together with the row itself, in one transaction (a
    recount that took the lock first has then either seen the row, or the move waits for it);
    outside a transaction the month is counted again instead."""
    if kwargs.get("raw") or kwargs.get("created") is False:
        return
    created = "created" in kwargs
    unit_key = instance.unit_id or NO_UNIT
    if connection.in_atomic_block:
        _bump(month_of(when), unit_key, column, 1 if created else -1)
    else:
        refresh_units(month_of(when), [unit_key], (column,))
    if not instance.unit_id:
        return
    others = type(instance).objects.filter(meeting_id=instance.meeting_id, unit_id=instance.unit_id)
    if others.exclude(pk=instance.pk).exists():
        return  # the unit already counts for this meeting
    month = _meeting_month(instance.meeting_id)
    if month:
        refresh_units(month, [instance.unit_id], (per_meeting,))


def _download_changed(sender: Any, instance: Download, **kwargs: Any) -> None:
    _event(instance, instance.at, "downloads", "downloaded", **kwargs)


def _comment_changed(sender: Any, instance: Comment, **kwargs: Any) -> None:
    _event(instance, instance.created_at, "comments", "commented", **kwargs)


def _login_changed(sender: Any, instance: LoginEvent, raw: bool = False, **kwargs: Any) -> None:
    """A successful sign-in: one more for the account's month, in the same way as downloads."""
    if raw or kwargs.get("created") is False or instance.kind != LoginEvent.Kind.SUCCESS:
        return
    pair = (instance.user_id or NO_USER, instance.unit_id or NO_UNIT)
    month = month_of(instance.at)
    if not connection.in_atomic_block:
        refresh_logins(month, [pair])
        return
    row = {"user_key": pair[0], "unit_key": pair[1], "month": month}
    AccountMonth.objects.bulk_create([AccountMonth(**row)], ignore_conflicts=True)
    by = 1 if "created" in kwargs else -1
    AccountMonth.objects.filter(**row).update(logins=F("logins") + by)


def connect() -> None:
    uid = "reports.figures"
    pre_save.connect(_meeting_before, sender=Meeting, dispatch_uid=f"{uid}.meeting.pre")
    post_save.connect(_meeting_saved, sender=Meeting, dispatch_uid=f"{uid}.meeting")
    pre_delete.connect(_meeting_deleting, sender=Meeting, dispatch_uid=f"{uid}.meeting.pre_del")
    post_delete.connect(_meeting_deleted, sender=Meeting, dispatch_uid=f"{uid}.meeting.del")
    for model, handler in (
        (Invitation, _invitation_changed),
        (Reply, _reply_changed),
        (Presence, _presence_changed),
        (Receipt, _receipt_changed),
        (Download, _download_changed),
        (Comment, _comment_changed),
        (LoginEvent, _login_changed),
        (Document, _document_changed),
    ):
        name = model.__name__.lower()
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}.{name}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}.{name}.del")
