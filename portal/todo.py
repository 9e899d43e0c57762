"""The signed-in account's to-do list ("Việc cần làm"): what the apps below give it to do, asked
of each app's selectors, gathered and sorted here. The apps know nothing of the list; each returns
its rows as `core.todo.TodoItem`.

The list costs one query per source whatever the data (each source reads at most its
TODO_LIMIT rows); the menu's count is one query for every source together."""

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from attendance import selectors as attendance
from core.todo import TodoItem
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


# The fewest rows a source lists before it may have left some out (each app's TODO_LIMIT).
SOURCE_LIMIT = min(
    minutes.TODO_LIMIT,
    tasks.TODO_LIMIT,
    opinions.TODO_LIMIT,
    attendance.TODO_LIMIT,
    voting.TODO_LIMIT,
    exports.TODO_LIMIT,
)


def todo_for(user: User, now: datetime | None = None) -> list[TodoItem]:
    """Every row, overdue first, then by deadline, then the newest."""
    return _listed(user, now or timezone.now())[0]


def _listed(user: User, now: datetime) -> tuple[list[TodoItem], bool]:
    """The sorted rows, and whether they are all there is. Each kind of row is read by one
    query of at most its app's TODO_LIMIT rows: a kind with fewer rows than that left none out."""
    if not user.is_authenticated:
        return [], True
    items = [item for source in SOURCES for item in source(user, now)]
    items.sort(key=lambda item: item.sort_key(now))
    per_kind = Counter(item.kind for item in items)
    return items, all(n < SOURCE_LIMIT for n in per_kind.values())


def todo_with_count(request: HttpRequest, now: datetime) -> tuple[list[TodoItem], int]:
    """The dashboard's list and its count. A list that is whole is its own count (most
    accounts have a handful of rows): the counting query, 5-15 ms at a province's size, is run
    only when a source may have left rows out. The menu of the same page shows that count."""
    user = request.user
    if not isinstance(user, User):
        return [], 0
    items, whole = _listed(user, now)
    if whole:
        _counted[request] = len(items)
    return items, count_for_request(request)


def counted(user: User, now: datetime) -> list[QuerySet[Any]]:
    """The rows each source would list, as querysets to count (the same selectors)."""
    return [
        minutes.to_approve(user),
        tasks.to_accept(user),
        tasks.due_soon(user, timezone.localdate(now)),
        opinions.to_answer(user, now),
        attendance.to_reply(user, now),
        voting.to_cast(user, now),
        exports.export_requests_to_decide(user),
    ]


def _count_of(rows: QuerySet[Any]) -> Subquery:
    """`SELECT COUNT(id) FROM … WHERE id IN (the rows)`: a scalar subquery whatever the rows'
    own grouping or ordering."""
    model = rows.model
    return Subquery(
        model._base_manager.filter(pk__in=rows.order_by().values("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n"),
        output_field=IntegerField(),
    )


def todo_count(user: User, now: datetime | None = None) -> int:
    """How many rows the list has, in one query. Each source's count is that of all its rows,
    also beyond what the list reads of it."""
    if not user.is_authenticated:
        return 0
    now = now or timezone.now()
    counts = (
        User.objects.filter(pk=user.pk)
        .values(**{f"n{i}": _count_of(rows) for i, rows in enumerate(counted(user, now))})
        .first()
    )
    return sum(n or 0 for n in counts.values()) if counts else 0


_counted: "WeakKeyDictionary[HttpRequest, int]" = WeakKeyDictionary()


def count_for_request(request: HttpRequest) -> int:
    """The menu's count, once per request (the page's menu and the dashboard ask both)."""
    if request not in _counted:
        user = request.user
        _counted[request] = todo_count(user) if isinstance(user, User) else 0
    return _counted[request]


def counted_for_request(request: HttpRequest) -> int | None:
    """The count this request already made (the dashboard's), if any."""
    return _counted.get(request)
