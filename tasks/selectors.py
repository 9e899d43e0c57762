"""Every read of notices and tasks that depends on who asks or on the day. The boards, the task
page and the rules use the same parts, so they cannot disagree (D2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from core.todo import TodoItem
from meetings.selectors import office_q as meeting_office_q

from .models import Notice, Task

# The board's categories, in the order of its columns: (key, label).
CATEGORIES: list[tuple[str, Any]] = [
    ("open", _("Đang thực hiện")),
    ("due_week", _("Đến hạn trong tuần")),
    ("overdue", _("Quá hạn")),
    ("reported", _("Chờ xác nhận")),
    ("on_time", _("Hoàn thành đúng hạn")),
    ("late", _("Hoàn thành trễ hạn")),
]
CATEGORY_KEYS = [key for key, _label in CATEGORIES]


def category_q(key: str, today: date) -> Q:
    """One category as a filter. Done on time or late is decided by the day the unit reported
    the task done (`done_on`), against its deadline."""
    not_done = ~Q(status=Task.Status.DONE)
    week_end = today + timedelta(days=6 - today.weekday())
    return {
        "open": not_done,
        "due_week": not_done & Q(deadline__gte=today, deadline__lte=week_end),
        "overdue": not_done & Q(deadline__lt=today),
        "reported": Q(status=Task.Status.REPORTED),
        "on_time": Q(status=Task.Status.DONE, done_on__lte=F("deadline")),
        "late": Q(status=Task.Status.DONE, done_on__gt=F("deadline")),
    }[key]


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


def task_for_page(pk: int) -> QuerySet[Task]:
    return Task.objects.select_related(
        "notice", "notice__meeting", "notice__meeting__organiser_unit", "unit"
    ).prefetch_related("cooperating", "steps__by", "steps__unit", "steps__files")


def notices_of(meeting: Any, user: User) -> list[Notice]:
    """The meeting's notices this account may read: drafts only for its office."""
    notices = list(Notice.objects.filter(meeting=meeting).order_by("created_at", "id"))
    return [n for n in notices if user.has_perm("tasks.view_notice", n)]


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
    """Every category's count in one query."""
    return tasks.aggregate(
        **{key: Count("pk", filter=category_q(key, today)) for key in CATEGORY_KEYS},
        total=Count("pk"),
    )


def board_rows(tasks: QuerySet[Task], filters: BoardFilters, today: date) -> QuerySet[Task]:
    rows = tasks
    if filters.category in CATEGORY_KEYS:
        rows = rows.filter(category_q(filters.category, today))
    return rows.select_related("unit", "notice__meeting").order_by("deadline", "id")


def today() -> date:
    return timezone.localdate()


# ---- statistics ------------------------------------------------------------------------------


def on_time_by_unit(
    first: date, last: date, unit_id: int | None = None, today_: date | None = None
) -> list[dict[str, Any]]:
    """Per unit in charge, the issued tasks due from `first` to `last`: how many, done on time,
    done late, not done (of which overdue), in one grouped query. The rate is done on time / due."""
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
        .values("unit_id", "unit__name", "unit__order")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=category_q("on_time", day)),
            late=Count("pk", filter=category_q("late", day)),
            not_done=Count("pk", filter=category_q("open", day)),
            overdue=Count("pk", filter=category_q("overdue", day)),
        )
    )
    return sorted(rows, key=lambda r: (r["unit__order"], r["unit__name"]))


# ---- the to-do list (portal) -------------------------------------------------------------------
TODO_LIMIT = 50
# A task shows in its unit's to-do list from this many days before its deadline.
DUE_SOON_DAYS = 7


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
            url=reverse("tasks:detail", args=[task.pk]) + "#decide-heading",
            since=task.updated_at,
            priority=1,
        )
        for task in to_accept(user)
        .select_related("unit", "notice__meeting")
        .order_by("-updated_at", "-id")[:TODO_LIMIT]
    ]
    rows += [
        TodoItem(
            kind="task_due",
            action=gettext("Báo cáo nhiệm vụ")
            if reports
            else gettext("Nhiệm vụ của đơn vị đến hạn"),
            title=task.title,
            about=task.notice.meeting.title,
            url=reverse("tasks:detail", args=[task.pk]) + "#report-heading",
            due=TodoItem.day_deadline(task.deadline),
            due_day=task.deadline,
            since=task.created_at,
        )
        for task in due_soon(user, today)
        .select_related("notice__meeting")
        .order_by("deadline", "id")[:TODO_LIMIT]
    ]
    return rows
