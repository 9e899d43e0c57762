"""Queries built once per shape of account, and each account's ids (and the time) put into them.

Building and compiling a selector's queryset is most of what a signed-in page's reads cost at a
province's size, not running them: the to-do list's sources, the dashboard's meetings and the
banner of calls each take 2 to 5 ms of the ORM's time for a query PostgreSQL answers in under one
(measured on PostgreSQL at 100 000 meetings). Every account of the same shape (the same role, kind
and flags, the same of its unit, committee and person set or not) gets the same SQL, its own ids
and the request's time aside. So a query is built for a stand-in account of that shape, and each
account's ids (and the time) are put into its parameters.

The stand-in is built twice, with two sets of ids no row has and two times far apart, and the
query is kept only when the two differ in nothing but those ids and times, each in the same
places: the places are where the account's own ids and the time go. It is not kept (it is then
built for the account itself, as before) when:
- the builder read the database while building (its rows could depend on the account): every
  query is refused then, and the refusal remembered, whoever caught it;
- it used an id or the time other than as it is (a sum, a text, a date of the time): the two
  builds then differ in a value that is neither;
- (rows) it prefetches, or attaches the account's own objects to the rows.

A builder may read of the account only the fields of SHAPE and IDS (the stand-in has no other),
and may use the time only as a value of the query, never to decide which query to build (the two
stand-in times differ in their year, month, day, weekday, hour, minute and second, so that such a
choice would most likely show as two different queries). A builder that reads the clock itself
(`timezone.now()`) is not kept, the two builds' times differing; one that needs the day takes it
as a given value (`today=...`, part of the key), since a day read inside the builder would be the
same for both stand-ins and kept past midnight. (accounts/tests/test_kept.py and
portal/tests/test_todo.py hold kept queries equal to those built for each account of a cast.)
The key also holds the language, the time zone and the values the caller passes as they are."""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    NamedValuesListIterable,
    ValuesIterable,
    ValuesListIterable,
)
from django.utils import timezone, translation

from .models import User

SHAPE = ("role", "kind", "is_active", "is_staff", "is_superuser")
IDS = ("id", "unit_id", "committee_id", "person_id")
BIGINT = (-(2**63), 2**63 - 1)
# Two stand-ins' ids: negative, so never a row's, each different from every other, and within a
# 32-bit column's range (Django answers a lookup beyond a column's range with "nothing" without
# asking the database, which a kept query would take for the shape's answer).
STAND_IN_IDS = (
    {field: -(10**9) - n for n, field in enumerate(IDS)},
    {field: -(2 * 10**9) - n for n, field in enumerate(IDS)},
)
# Two stand-ins' times: every part of the date and of the hour different.
STAND_IN_TIMES = (
    datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC),
    datetime(2013, 11, 27, 19, 48, 51, 987_653, tzinfo=UTC),
)
# The shape under which a query that asks nothing of the account reading it is kept (the account
# read by its id for a request, its second factor's device): its ids are given by the caller.
ANYONE = User()
# Kept forms per process, the longest kept forgotten first (a site has a handful of shapes; the
# keys that change, a minute's window, make a new one now and then).
KEPT = 512


@dataclass(frozen=True)
class Id:
    """Where a kept query takes one of the account's ids; `typed`, the integer type the ORM gave
    the stand-in's (psycopg's Int4 for an integer column compared in an expression: a prepared
    statement's types the same on every run), the account's id put in as the same type."""

    field: str
    typed: type | None = None


@dataclass(frozen=True)
class Given:
    """Where a kept query takes one of the ids the caller put in (`kept_rows(ids=...)`), typed
    as Id."""

    name: str
    typed: type | None = None


@dataclass(frozen=True)
class Now:
    """Where a kept query takes the time: as it is (`raw`) or as the database's text of it."""

    raw: bool


class _ReadWhileBuilding(Exception):
    pass


class _QueryRefusal:
    """Refuses every query while a stand-in's query is built, and remembers that one was tried
    (a builder that caught the refusal and went on must not be kept either)."""

    def __init__(self) -> None:
        self.tried = False

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.tried = True
        raise _ReadWhileBuilding(sql)


def shape_of(user: User) -> tuple[Any, ...]:
    return (*(getattr(user, f) for f in SHAPE), *(getattr(user, f) is None for f in IDS))


def _stand_in(user: User, ids: dict[str, int]) -> User:
    values = {field: getattr(user, field) for field in SHAPE}
    for field in IDS:
        values[field] = ids[field] if getattr(user, field) is not None else None
    return User(**values)


T = TypeVar("T")


def built_for_stand_ins(user: User, build: Callable[[User, datetime], T]) -> tuple[T, T] | None:
    """What `build` gives for the two stand-ins of this account's shape, each with its time;
    None when it tried to read the database."""
    built = []
    refusal = _QueryRefusal()
    try:
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(refusal))
            for ids, now in zip(STAND_IN_IDS, STAND_IN_TIMES, strict=True):
                built.append(build(_stand_in(user, ids), now))
    except _ReadWhileBuilding:
        pass  # the refusal remembers it, caught here or by the builder
    if refusal.tried:
        return None
    return built[0], built[1]


def _given_ids(names: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """The two stand-ins' values of the ids a caller puts in: negative, and different from the
    accounts' stand-in ids and from each other."""
    return (
        {name: -(1_300_000_000) - n for n, name in enumerate(names)},
        {name: -(1_700_000_000) - n for n, name in enumerate(names)},
    )


def places(
    first: tuple[Any, ...],
    second: tuple[Any, ...],
    adapt: Callable[[datetime], Any] | None = None,
    given: list[str] | None = None,
) -> tuple[Any, ...] | None:
    """The first stand-in's parameters with `Id`, `Given` and `Now` where they differ from the
    second's by the stand-ins' own ids, the given ids' stand-ins and the times; None when they
    differ otherwise. `adapt` is how the database takes a time (its text on SQLite); without
    it, a time is not put in."""
    ids: dict[tuple[int, int], Id | Given] = {
        (STAND_IN_IDS[0][f], STAND_IN_IDS[1][f]): Id(f) for f in IDS
    }
    one_given, other_given = _given_ids(given or [])
    ids.update({(one_given[n], other_given[n]): Given(n) for n in one_given})
    times: dict[tuple[Any, Any], Now] = {}
    if adapt is not None:
        times[STAND_IN_TIMES] = Now(raw=True)
        times[(adapt(STAND_IN_TIMES[0]), adapt(STAND_IN_TIMES[1]))] = Now(raw=False)
    if len(first) != len(second):
        return None
    params: list[Any] = []
    for one, other in zip(first, second, strict=True):
        if type(one) is type(other) and one == other:
            params.append(one)
        elif _integer(one) and type(one) is type(other) and (one, other) in ids:
            place = ids[(one, other)]
            if type(one) is not int:  # the ORM's typed integer: put in as the same type
                place = (
                    Id(place.field, type(one))
                    if isinstance(place, Id)
                    else Given(place.name, type(one))
                )
            params.append(place)
        elif isinstance(one, datetime | str) and type(one) is type(other) and (one, other) in times:
            params.append(times[(one, other)])
        else:
            return None
    return tuple(params)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def filled(
    params: tuple[Any, ...],
    user: User,
    now: datetime | None = None,
    adapt: Callable[[datetime], Any] | None = None,
    given: dict[str, int | None] | None = None,
) -> list[Any]:
    """The kept parameters with this account's ids, the given ids and this time put in their
    places."""
    out = []
    for p in params:
        if isinstance(p, Id):
            value = getattr(user, p.field)
            out.append(value if p.typed is None or value is None else p.typed(value))
        elif isinstance(p, Given):
            assert given is not None
            value = given[p.name]
            out.append(value if p.typed is None or value is None else p.typed(value))
        elif isinstance(p, Now):
            assert now is not None and adapt is not None
            out.append(now if p.raw else adapt(now))
        else:
            out.append(p)
    return out


# ---- rows: a queryset of model instances -------------------------------------------------------


@dataclass(frozen=True)
class _Rows:
    """A kept queryset: the first stand-in's, compiled (its compiler knows how to make the rows
    into model instances), with its SQL and the places of its parameters. An empty `sql` is a
    queryset that can match nothing."""

    queryset: QuerySet[Any]
    compiler: Any
    sql: str
    params: tuple[Any, ...]


class _Missing:
    pass


_MISSING = _Missing()
_kept: OrderedDict[tuple[Any, ...], _Rows | None] = OrderedDict()

M = TypeVar("M")


def _compiled(queryset: QuerySet[Any]) -> tuple[Any, str, tuple[Any, ...]]:
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        sql, params = "", ()
    return compiler, sql, tuple(params)


# Model instances, or values: each reads the rows through the query's compiler.
ITERABLES = (
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    FlatValuesListIterable,
    NamedValuesListIterable,
)


def _keepable(queryset: Any) -> bool:
    if not isinstance(queryset, QuerySet):
        return False
    internals: Any = queryset  # what the type stubs leave out
    return (
        internals._iterable_class in ITERABLES
        and not internals._prefetch_related_lookups
        and not internals._known_related_objects
    )


def _matches_nothing(queryset: QuerySet[Any]) -> bool:
    refusal = _QueryRefusal()
    try:
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(refusal))
            return not _compiled(queryset)[1] and not refusal.tried
    except _ReadWhileBuilding:
        return False


def _rows_form(
    user: User,
    build: Callable[..., QuerySet[Any]],
    ids: dict[str, int | None],
) -> _Rows | None:
    """The kept form of `build` for this account's shape, each of `ids` set or None as given;
    None when it may not be kept."""
    names = [name for name, value in ids.items() if value is not None]
    stand_in_ids = iter(_given_ids(names))

    def for_stand_in(stand_in: User, now: datetime) -> QuerySet[Any]:
        own = next(stand_in_ids)
        return build(stand_in, now, **{name: own.get(name) for name in ids})

    both = built_for_stand_ins(user, for_stand_in)
    if both is None or not all(_keepable(q) for q in both):
        return None
    first, second = both
    if first.db != second.db:
        return None
    refusal = _QueryRefusal()  # compiling reads nothing either
    try:
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(refusal))
            compiler, sql, params = _compiled(first)
            _, other_sql, other_params = _compiled(second)
    except _ReadWhileBuilding:
        return None
    if refusal.tried or sql != other_sql:
        return None
    if not sql and not _matches_nothing(build(user, STAND_IN_TIMES[0], **ids)):
        # Nothing for the stand-ins but something for the account: a lookup Django answers
        # "nothing" for the stand-ins' ids alone (a column that holds no negative number).
        return None
    adapt = connections[first.db].ops.adapt_datetimefield_value
    kept_params = places(params, other_params, adapt, names)
    if kept_params is None:
        return None
    return _Rows(first, compiler, sql, kept_params)


# Held while a form is built: the threads of a process that miss the same form at once (a minute's
# first menu counts, a hall's first ballot pages) wait for the first to build it instead of each
# building it again. Reentrant: a builder may ask for another kept form.
_building = threading.RLock()

F = TypeVar("F")


def _kept_form(
    store: OrderedDict[tuple[Any, ...], F], key: tuple[Any, ...], make: Callable[[], F]
) -> F:
    """The form kept under `key`, made (once in the process) when missing."""
    # Read once: another thread of the process may forget a form meanwhile.
    form = store.get(key, _MISSING)
    if not isinstance(form, _Missing):
        return form
    with _building:
        form = store.get(key, _MISSING)
        if isinstance(form, _Missing):
            form = make()
            while len(store) >= KEPT:
                store.popitem(last=False)  # the longest kept
            store[key] = form
        return form


def kept_rows(
    name: str,
    build: Callable[..., QuerySet[Any, M]],
    user: User,
    now: datetime,
    *,
    ids: dict[str, int | None] | None = None,
    **given: Hashable,
) -> list[M]:
    """`list(build(user, now, **ids, **given))`, from the query kept for the account's shape
    (under `name`, with the same `given` values, the same of `ids` set or None, the same
    language and time zone), with the account's ids, `ids` and `now` put in; built for the
    account itself when no query may be kept. `ids` are put in like the account's (a meeting's,
    whose page asks), `given` are part of the key."""
    ids = ids or {}
    if not isinstance(user, User):  # the anonymous visitor: no shape, and rarely asked
        return list(build(user, now, **ids, **given))
    if not all(v is None or (type(v) is int and BIGINT[0] <= v <= BIGINT[1]) for v in ids.values()):
        # Not a number as the ORM would make it, or beyond any column's range (a URL's id): the
        # ORM answers those, the database would refuse them.
        return list(build(user, now, **ids, **given))
    key = (
        name,
        shape_of(user),
        tuple(sorted((n, v is None) for n, v in ids.items())),
        tuple(sorted(given.items())),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    form = _kept_form(
        _kept,
        key,
        lambda: _rows_form(
            user, lambda stand_in, at, **put_in: build(stand_in, at, **put_in, **given), ids
        ),
    )
    if form is None:
        return list(build(user, now, **ids, **given))
    if not form.sql:
        return []
    queryset: Any = form.queryset._chain()  # type: ignore[attr-defined]
    connection = connections[queryset.db]
    params = filled(form.params, user, now, connection.ops.adapt_datetimefield_value, ids)
    # The kept compiler, which knows the columns and how to make model instances of them,
    # answering with the kept SQL and this account's parameters on this thread's connection.
    compiler = copy.copy(form.compiler)
    compiler.connection = connection
    compiler.as_sql = lambda *args, **kwargs: (form.sql, params)
    queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
    return list(queryset)


# ---- SQL: a statement and its parameters, compiled by the caller -------------------------------

Statement = tuple[str, list[Any]]
_statements: OrderedDict[tuple[Any, ...], tuple[str, tuple[Any, ...]] | None] = OrderedDict()


def kept_sql(
    name: Hashable,
    build: Callable[[User, datetime | None], Statement | None],
    user: User,
    now: datetime | None = None,
    *,
    timed: bool = False,
) -> Statement | None:
    """`build(user, now)`, a statement its caller compiled (or None: nothing to ask), from the
    form kept for the account's shape under `name`, the account's ids put in; `timed`, the time
    is put in too (else `now` is part of the key, and handed to the stand-ins as it is). Built
    for the account when it may not be kept: as kept_rows, when the builder read the database,
    or the stand-ins' statements differ in more than the ids and times, or one has a statement
    and the other none."""
    if not isinstance(user, User):
        return build(user, now)
    key = (
        name,
        None if timed else now,
        shape_of(user),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    form = _kept_form(_statements, key, lambda: _statement_form(user, build, now, timed=timed))
    if form is None:
        return build(user, now)
    sql, params = form
    if not sql:
        return None
    adapt = connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value
    return sql, filled(params, user, now, adapt)


def _statement_form(
    user: User,
    build: Callable[[User, datetime | None], Statement | None],
    now: datetime | None,
    *,
    timed: bool,
) -> tuple[str, tuple[Any, ...]] | None:
    """The kept form: the SQL with the places of the ids (and the time); ("", ()) when neither
    stand-in has a statement; None when it may not be kept."""
    both = built_for_stand_ins(user, lambda stand_in, at: build(stand_in, at if timed else now))
    if both is None:
        return None
    first, second = both
    if first is None or second is None:
        return ("", ()) if first is None and second is None else None
    if first[0] != second[0]:
        return None
    adapt = connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value if timed else None
    params = places(tuple(first[1]), tuple(second[1]), adapt)
    return None if params is None else (first[0], params)


def forget() -> None:
    """Empties the kept queries and statements (tests)."""
    _kept.clear()
    _statements.clear()
