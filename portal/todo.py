"""The signed-in account's to-do list ("Việc cần làm"): what the apps below give it to do, asked
of each app's selectors, gathered and sorted here. The apps know nothing of the list; each returns
its rows as `core.todo.TodoItem`.

The list costs one query per source whatever the data (each source reads at most its
TODO_LIMIT rows); the menu's count is one query for every source together (the dashboard counts
only the kinds its list may have cut short)."""

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts import kept
from accounts.models import User
from attendance import selectors as attendance
from core.todo import TODO_LIMIT, TodoItem
from exports import selectors as exports
from minutes import selectors as minutes
from opinions import selectors as opinions
from tasks import selectors as tasks
from voting import selectors as voting

SOURCES: list[Callable[[User, datetime], list[TodoItem]]] = [
    minutes.todo_items,
    tasks.todo_items,
    opinions.todo_items,
    attendance.todo_items,
    voting.todo_items,
    exports.todo_items,
]


# The rows a source lists at most (core.todo): with as many, it may have left some out.
SOURCE_LIMIT = TODO_LIMIT


def todo_for(user: User, now: datetime | None = None) -> list[TodoItem]:
    """Every row, overdue first, then by deadline, then the newest."""
    return _listed(user, now or timezone.now())[0]


def _listed(user: User, now: datetime) -> tuple[list[TodoItem], Counter[str]]:
    """The sorted rows, and how many of each kind."""
    if not user.is_authenticated:
        return [], Counter()
    items = [item for source in SOURCES for item in source(user, now)]
    items.sort(key=lambda item: item.sort_key(now))
    return items, Counter(item.kind for item in items)


# Each kind of row and the rows it counts: the selectors its source lists from. Every kind a
# source lists is here (portal/tests/test_todo.py holds the two to the same kinds).
COUNTED: dict[str, Callable[[User, datetime], QuerySet[Any]]] = {
    "minutes_approve": lambda user, now: minutes.to_approve(user),
    "task_accept": lambda user, now: tasks.to_accept(user),
    "task_due": lambda user, now: tasks.due_soon(user, timezone.localdate(now)),
    "opinion_answer": lambda user, now: opinions.to_answer(user, now),
    "attendance_reply": lambda user, now: attendance.to_reply(user, now),
    "vote_cast": lambda user, now: voting.to_cast(user, now),
    "export_decide": lambda user, now: exports.export_requests_to_decide(user),
}


def todo_with_count(request: HttpRequest, now: datetime) -> tuple[list[TodoItem], int]:
    """The dashboard's list and its count. Each kind of row is read by one query of at most its
    app's TODO_LIMIT rows: a kind with fewer rows left none out, and counts as listed. Only the
    kinds that may have left rows out are counted in SQL (most accounts have none: the counting
    query, 5-15 ms for all seven kinds at a province's size, is then not run). The menu of the
    same page shows that count."""
    user = request.user
    if not isinstance(user, User):
        return [], 0
    items, per_kind = _listed(user, now)
    cut = {kind for kind, n in per_kind.items() if n >= SOURCE_LIMIT}
    listed = sum(n for kind, n in per_kind.items() if kind not in cut)
    total = listed + (_run(kept_statement(user, now, kinds=cut, timed=True)) if cut else 0)
    _counted[request] = total
    return items, total


def counted(user: User, now: datetime, kinds: set[str] | None = None) -> dict[str, QuerySet[Any]]:
    """The rows of each kind (or of these kinds) as querysets to count."""
    return {
        kind: rows(user, now) for kind, rows in COUNTED.items() if kinds is None or kind in kinds
    }


# The prefix of each kind's count in the counting query (`todo_<kind>`).
COUNT_ALIAS = "todo_"


def _counting_sql(kind: str, rows: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """`(SELECT COUNT(DISTINCT todo_pk) FROM (the rows' ids) AS todo_rows) AS "todo_<kind>"`,
    whatever the rows' own grouping or ordering; None for rows that can match nothing."""
    try:
        ids = rows.order_by().values(todo_pk=F("pk"))
        sql, params = ids.query.get_compiler(using=ids.db).as_sql()
    except EmptyResultSet:
        return None
    # The text joined is the ORM's compiled SQL (the values stay parameters) and a kind's name,
    # one of COUNTED's keys.
    alias = f'"{COUNT_ALIAS}{kind}"'
    return f"(SELECT COUNT(DISTINCT todo_pk) FROM ({sql}) AS todo_rows) AS {alias}", params  # noqa: S608


def _statement(
    user: User, now: datetime, kinds: set[str] | None = None
) -> tuple[str, list[Any]] | None:
    """The counting statement and its parameters; None when no kind can have rows."""
    parts: list[str] = []
    params: list[Any] = []
    # A kind the account can have none of (`.none()`, decided before any query is built) is
    # left out of the statement.
    for kind, rows in counted(user, now, kinds).items():
        compiled = None if rows.query.is_empty() else _counting_sql(kind, rows)
        if compiled is not None:
            parts.append(compiled[0])
            params.extend(compiled[1])
    if not parts:
        return None
    return "SELECT " + ", ".join(parts), params


def _run(statement: tuple[str, list[Any]] | None) -> int:
    if statement is None:
        return 0
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(*statement)
        counts = cursor.fetchone()
    return sum(n or 0 for n in counts) if counts else 0


def todo_count(user: User, now: datetime | None = None, kinds: set[str] | None = None) -> int:
    """How many rows the list has (or has of these kinds), in one query: each kind's count is
    that of all its rows, also beyond what the list reads of it. Each count is named after its
    kind (`todo_<kind>`).

    Each kind's rows are compiled on their own and the statement joins them as text: the ORM's
    way, a Subquery per kind inside one queryset, relabels and clones every alias of every
    selector again, about 8 of the 22 ms a voter's first page spent on this count (measured at a
    province's size on PostgreSQL). The SQL of each part is still the selector's, as the ORM
    compiles it."""
    if not user.is_authenticated:
        return 0
    return _run(_statement(user, now or timezone.now(), kinds))


# ---- the menu's count: one statement kept for the accounts of a shape --------------------------
#
# Building and compiling the seven selectors' querysets is most of the count's cost, not running
# it: about 10 of the 15 ms the count added to a voter's first page (at a province's size on
# PostgreSQL), 500 times when a hall of voters opens the ballot at once. So the menu's count
# builds the statement once per shape of account and minute, for stand-in accounts, and puts
# each account's ids into it (accounts.kept says when a statement may be kept, and how it is
# checked).
#
# The statement's time is the minute's start, the same for everyone counting in that minute: the
# menu's count shows what others do for the account within MENU_COUNT_SECONDS anyway
# (portal.menu_count), and a vote closed or a deadline passed less than a minute ago still
# counts there until the next minute.


def kept_statement(
    user: User, now: datetime, *, kinds: set[str] | None = None, timed: bool = False
) -> tuple[str, list[Any]] | None:
    """The counting statement for this account at this time (of these kinds, or every kind),
    from the form kept for its shape (accounts.kept.kept_sql); built for the account itself when
    no form may be kept. The menu's is of its minute's start, part of the form's key; `timed`,
    the time is put into the form as the account's ids are (the dashboard's count of the kinds
    its list cut short, at the request's time, as its list): a kind that uses the time other
    than as it is (the day of it) then makes the stand-ins' statements differ, and is built for
    the account."""
    chosen = None if kinds is None else frozenset(kinds)

    def build(account: User, at: datetime | None) -> tuple[str, list[Any]] | None:
        return _statement(account, at or now, None if chosen is None else set(chosen))

    return kept.kept_sql(("portal.todo.count", chosen), build, user, now, timed=timed)


def menu_count_of(user: User) -> int:
    """The menu's count: every kind, at this minute's start, from the statement kept for the
    account's shape."""
    if not user.is_authenticated:
        return 0
    now = timezone.now().replace(second=0, microsecond=0)
    return _run(kept_statement(user, now))


_counted: "WeakKeyDictionary[HttpRequest, int]" = WeakKeyDictionary()


def count_for_request(request: HttpRequest) -> int:
    """The menu's count, once per request (the page's menu and the dashboard ask both)."""
    if request not in _counted:
        user = request.user
        _counted[request] = menu_count_of(user) if isinstance(user, User) else 0
    return _counted[request]


def note_count(request: HttpRequest, total: int) -> None:
    """The count of the dashboard's list kept with it (portal.views): the menu shows the same."""
    _counted[request] = total


def counted_for_request(request: HttpRequest) -> int | None:
    """The count this request already made (the dashboard's), if any."""
    return _counted.get(request)
