"""Every read of notices and tasks that depends on who asks or on the day. The boards, the task
page and the rules use the same parts, so they cannot disagree (D2)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.kept import kept_rows
from accounts.models import Unit, User
from core.links import link
from core.todo import TODO_LIMIT, TodoItem
from meetings.selectors import office_q as meeting_office_q
from meetings.selectors import rows_of_meeting

from .models import Notice, Task, TaskStep

# Every task is in exactly one state, decided in this order: waiting for the office's decision,
# done (on time or late), returned to its unit, overdue, in progress. The boards' counters, their
# rows, the task page, the workbook and the statistics read the state from `state_case`, so a
# task reported after its deadline is "waiting", not "overdue", and the counters add up to the
# total. (key, label, what it counts.)
STATES: list[tuple[str, Any, Any]] = [
    (
        "open",
        _("Đang thực hiện"),
        _("Chưa báo cáo hoàn thành, chưa quá hạn (hạn từ hôm nay trở đi)."),
    ),
    (
        "returned",
        _("Bị trả lại"),
        _("Văn phòng trả lại báo cáo hoàn thành; đơn vị chưa báo cáo lại."),
    ),
    (
        "overdue",
        _("Quá hạn"),
        _("Chưa báo cáo hoàn thành và hạn đã qua (trước hôm nay)."),
    ),
    (
        "reported",
        _("Chờ xác nhận"),
        _("Đơn vị đã báo cáo hoàn thành, chờ văn phòng xác nhận hoặc trả lại."),
    ),
    (
        "on_time",
        _("Hoàn thành đúng hạn"),
        _("Văn phòng đã xác nhận; ngày đơn vị báo cáo hoàn thành không sau hạn."),
    ),
    (
        "late",
        _("Hoàn thành trễ hạn"),
        _("Văn phòng đã xác nhận; ngày đơn vị báo cáo hoàn thành sau hạn."),
    ),
]
STATE_KEYS = [key for key, _label, _help in STATES]
STATE_LABELS = {key: label for key, label, _help in STATES}
# Beside the states and across them: what is still to be done and falls due in the next days.
DUE_SOON_DAYS = 7
DUE_SOON = (
    "due_soon",
    _("Đến hạn trong 7 ngày tới"),
    _(
        "Chưa được xác nhận hoàn thành, hạn từ hôm nay đến 7 ngày sau (đã tính trong các "
        "tình trạng trên)."
    ),
)
# The board's filter: one state, or the tasks due soon.
CATEGORIES: list[tuple[str, Any]] = [(key, label) for key, label, _help in STATES] + [DUE_SOON[:2]]
CATEGORY_KEYS = [key for key, _label in CATEGORIES]


def _returned_q() -> Q:
    """Open again after the office returned its report: every return leaves a step, and the
    only way out of "open" is a new report."""
    returned = TaskStep.objects.filter(task_id=OuterRef("pk"), kind=TaskStep.Kind.RETURNED)
    return Q(status=Task.Status.OPEN) & Q(Exists(returned))


def state_case(today: date) -> Case:
    """The task's one state (a key of STATES) as an SQL expression."""
    done = Q(status=Task.Status.DONE)
    return Case(
        When(status=Task.Status.REPORTED, then=Value("reported")),
        When(done & Q(done_on__gt=F("deadline")), then=Value("late")),
        When(done, then=Value("on_time")),
        When(_returned_q(), then=Value("returned")),
        When(deadline__lt=today, then=Value("overdue")),
        default=Value("open"),
        output_field=CharField(),
    )


def due_soon_q(today: date) -> Q:
    return ~Q(status=Task.Status.DONE) & Q(
        deadline__gte=today, deadline__lte=today + timedelta(days=DUE_SOON_DAYS)
    )


def with_state(tasks: QuerySet[Task], today: date) -> QuerySet[Task]:
    """The tasks with their `state` and, once returned, the office's last reason."""
    reason = (
        TaskStep.objects.filter(task_id=OuterRef("pk"), kind=TaskStep.Kind.RETURNED)
        .order_by("-at", "-id")
        .values("note")[:1]
    )
    return tasks.annotate(state=state_case(today), returned_reason=Subquery(reason))


def category_q(key: str, today: date) -> Q:
    """One filter of the board on tasks that carry their `state` (`with_state`)."""
    if key == DUE_SOON[0]:
        return due_soon_q(today)
    return Q(state=key)


def _cooperating_q(unit_id: int) -> Q:
    through = Task.cooperating.through
    return Q(Exists(through.objects.filter(task_id=OuterRef("pk"), unit_id=unit_id)))


def office_q(user: User, prefix: str = "notice__meeting__") -> Q:
    """The tasks of the meetings whose office this account is part of."""
    return meeting_office_q(user, prefix)


def unit_tasks(user: User) -> QuerySet[Task]:
    """The issued tasks of the account's unit: in charge or cooperating."""
    if not user.is_authenticated or not user.unit_id:
        return Task.objects.none()
    return Task.objects.filter(
        Q(unit_id=user.unit_id) | _cooperating_q(user.unit_id),
        is_issued=True,
        notice__meeting__deleted_at__isnull=True,
    )


def office_tasks(user: User) -> QuerySet[Task]:
    """The issued tasks of the meetings this account's office runs."""
    if not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(
        office_q(user), is_issued=True, notice__meeting__deleted_at__isnull=True
    )


def tasks_visible_to(user: User) -> QuerySet[Task]:
    """Every task this account may open: its unit's and, with drafts, its office's."""
    if not user.is_authenticated:
        return Task.objects.none()
    mine = Q(is_issued=True) & (
        Q(unit_id=user.unit_id) | _cooperating_q(user.unit_id) if user.unit_id else Q(pk__in=[])
    )
    return Task.objects.filter(mine | office_q(user), notice__meeting__deleted_at__isnull=True)


def unit_involved_in_notice(user: User, notice: Any) -> bool:
    unit_id = user.unit_id
    if unit_id is None:
        return False
    through = Task.cooperating.through
    return (
        Task.objects.filter(notice=notice)
        .filter(
            Q(unit_id=unit_id) | Q(pk__in=through.objects.filter(unit_id=unit_id).values("task_id"))
        )
        .exists()
    )


def cooperates(user: User, task: Any) -> bool:
    cache = task.__dict__.setdefault("_cooperating_ids", None)
    if cache is None:
        cache = {u.pk for u in task.cooperating.all()}
        task.__dict__["_cooperating_ids"] = cache
    return user.unit_id in cache


def task_for_page(pk: int, today_: date | None = None) -> QuerySet[Task]:
    """The task page's task with its state (as the boards show it), its units and history."""
    return (
        with_state(Task.objects.all(), today_ or today())
        .select_related("notice", "notice__meeting", "notice__meeting__organiser_unit", "unit")
        .prefetch_related("cooperating", "steps__by", "steps__unit", "steps__files")
    )


def notices_of(meeting: Any, user: User) -> list[Notice]:
    """The meeting's notices this account may read: drafts only for its office."""
    notices = rows_of_meeting("tasks.notices_of", _notices_of, meeting)
    return [n for n in notices if user.has_perm("tasks.view_notice", n)]


def _notices_of(anyone: User, now: Any, *, meeting: int) -> QuerySet[Notice]:
    """notices_of's query, kept once per process (accounts.kept): every meeting page asks it."""
    return Notice.objects.filter(meeting_id=meeting).order_by("created_at", "id")


@dataclass
class BoardFilters:
    category: str = ""
    unit: Unit | None = None
    meeting_id: int | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None


def filtered(tasks: QuerySet[Task], filters: BoardFilters, today: date) -> QuerySet[Task]:
    if filters.unit is not None:
        tasks = tasks.filter(unit=filters.unit)
    if filters.meeting_id:
        tasks = tasks.filter(notice__meeting_id=filters.meeting_id)
    if filters.deadline_from:
        tasks = tasks.filter(deadline__gte=filters.deadline_from)
    if filters.deadline_to:
        tasks = tasks.filter(deadline__lte=filters.deadline_to)
    return tasks


def board_counts(tasks: QuerySet[Task], today: date) -> dict[str, int]:
    """Every state's count, the total (their sum: each task is in one state) and the tasks due
    soon, in one query grouped by state. (A count filtered on each state rebuilt and wrote the
    state's expression eight times: 7 ms of the dashboard's time, for a query of 2 ms.)"""
    return counts_of(board_count_rows(tasks, today))


def board_count_rows(tasks: QuerySet[Task], today: date) -> QuerySet[Task, dict[str, Any]]:
    """Each state's count and its tasks due soon, a row a state."""
    return (
        tasks.order_by()
        .annotate(state=state_case(today))
        .values("state")
        .annotate(n=Count("pk"), soon=Count("pk", filter=due_soon_q(today)))
    )


def counts_of(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """board_counts of the rows of board_count_rows."""
    counts = dict.fromkeys(STATE_KEYS, 0)
    due_soon = 0
    for row in rows:
        counts[row["state"]] = row["n"]
        due_soon += row["soon"]
    return {**counts, "due_soon": due_soon, "total": sum(counts.values())}


def board_rows(tasks: QuerySet[Task], filters: BoardFilters, today: date) -> QuerySet[Task]:
    rows = with_state(tasks, today)
    if filters.category in CATEGORY_KEYS:
        rows = rows.filter(category_q(filters.category, today))
    return rows.select_related("unit", "notice__meeting").order_by("deadline", "id")


def not_done(tasks: QuerySet[Task], today: date) -> QuerySet[Task]:
    """What is still to be done or decided, nearest deadline first, with each task's state."""
    return (
        with_state(tasks, today)
        .exclude(status=Task.Status.DONE)
        .select_related("notice__meeting")
        .order_by("deadline", "id")
    )


def today() -> date:
    """Today in the province (Asia/Ho_Chi_Minh), whatever the server's own clock zone."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))


# ---- statistics ------------------------------------------------------------------------------


def states_by_unit(
    first: date, last: date, unit_id: int | None = None, today_: date | None = None
) -> list[dict[str, Any]]:
    """Per unit in charge, the issued tasks whose deadline falls from `first` to `last`: how
    many, and how many in each state (the boards' states, which add up to that number), in one
    grouped query."""
    day = today_ or today()
    tasks = Task.objects.filter(
        is_issued=True,
        notice__meeting__deleted_at__isnull=True,
        deadline__gte=first,
        deadline__lte=last,
    )
    if unit_id is not None:
        tasks = tasks.filter(unit_id=unit_id)
    rows = (
        tasks.order_by()
        .alias(state=state_case(day))
        .values("unit_id", "unit__name", "unit__order")
        .annotate(
            total=Count("pk"), **{key: Count("pk", filter=Q(state=key)) for key in STATE_KEYS}
        )
    )
    return sorted(rows, key=lambda r: (r["unit__order"], r["unit__name"]))


# ---- the to-do list (portal) -------------------------------------------------------------------


def to_accept(user: User) -> QuerySet[Task]:
    """Tasks reported done that this account's office decides on (tasks.decide_task): the office
    of the task's meeting, the notice issued, the task reported."""
    return office_tasks(user).filter(status=Task.Status.REPORTED)


def due_soon(user: User, today: date) -> QuerySet[Task]:
    """The open tasks the account's unit is in charge of, due within DUE_SOON_DAYS or overdue,
    for whoever sees the unit's board (tasks.view_unit_board)."""
    if not user.is_authenticated or not user.unit_id or user.role == User.Role.ADMIN:
        return Task.objects.none()
    return unit_tasks(user).filter(
        unit_id=user.unit_id,
        status=Task.Status.OPEN,
        deadline__lte=today + timedelta(days=DUE_SOON_DAYS),
    )


def _to_accept_rows(user: User, now: datetime) -> QuerySet[Task]:
    return (
        to_accept(user)
        .select_related("unit", "notice__meeting")
        .order_by("-updated_at", "-id")[:TODO_LIMIT]
    )


def _due_rows(user: User, now: datetime, today: date) -> QuerySet[Task]:
    return (
        due_soon(user, today)
        .select_related("notice__meeting")
        .order_by("deadline", "id")[:TODO_LIMIT]
    )


def todo_items(user: User, now: datetime) -> list[TodoItem]:
    """The to-do rows of the tasks: those to accept and those due (two queries)."""
    today = timezone.localdate(now)
    # Only the unit's leader and its unit account report; the rest of its staff follow the task.
    reports = user.is_authenticated and user.role in {User.Role.UNIT_LEADER, User.Role.UNIT_CLERK}
    rows = [
        TodoItem(
            kind="task_accept",
            action=gettext("Xác nhận kết quả nhiệm vụ"),
            title=task.title,
            about=gettext("%(unit)s báo cáo hoàn thành · %(meeting)s")
            % {
                "unit": task.unit.short_name or task.unit.name,
                "meeting": task.notice.meeting.title,
            },
            url=link("tasks:detail", task.pk) + "#decide-heading",
            since=task.updated_at,
            priority=1,
        )
        for task in kept_rows("tasks.todo_accept", _to_accept_rows, user, now)
    ]
    rows += [
        TodoItem(
            kind="task_due",
            action=gettext("Báo cáo nhiệm vụ")
            if reports
            else gettext("Nhiệm vụ của đơn vị đến hạn"),
            title=task.title,
            about=task.notice.meeting.title,
            url=link("tasks:detail", task.pk) + "#report-heading",
            due=TodoItem.day_deadline(task.deadline),
            due_day=task.deadline,
            since=task.created_at,
        )
        for task in kept_rows("tasks.todo_due", _due_rows, user, now, today=today)
    ]
    return rows
