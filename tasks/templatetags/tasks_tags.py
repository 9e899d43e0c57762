"""The dashboard's "tasks of my unit" block and the meeting page's conclusion notices: the portal
and the meeting page include the tags and know nothing else of tasks."""

from datetime import date, datetime
from typing import Any

from django import template
from django.db.models import QuerySet
from django.utils import timezone

from accounts.kept import kept_rows
from tasks import exports, selectors
from tasks.models import Task

register = template.Library()

SHOWN = 5


# The block's two reads, from queries kept per shape of account (accounts.kept).


def _mine(user: Any) -> QuerySet[Task]:
    return selectors.unit_tasks(user).filter(unit_id=user.unit_id)


def _counts(user: Any, now: datetime, *, today: date) -> QuerySet[Task, dict[str, Any]]:
    return selectors.board_count_rows(_mine(user), today)


def _not_done(user: Any, now: datetime, *, today: date) -> QuerySet[Task]:
    return selectors.not_done(_mine(user), today)[:SHOWN]


@register.inclusion_tag("tasks/_dashboard.html", takes_context=True)
def unit_tasks_block(context: dict[str, Any]) -> dict[str, Any]:
    """The unit's tasks in charge not yet done, nearest deadline first, with the board's counts."""
    user = context.get("user")
    if user is None or not user.has_perm("tasks.view_unit_board"):
        return {"shown": False}
    today = selectors.today()
    now = timezone.now()
    counts = selectors.counts_of(kept_rows("tasks.unit_counts", _counts, user, now, today=today))
    if not counts["total"]:
        return {"shown": False}
    rows = kept_rows("tasks.unit_not_done", _not_done, user, now, today=today)
    return {
        "shown": True,
        "rows": rows,
        "counts": counts,
        "today": today,
    }


@register.filter
def task_status(task: Any, today: date) -> str:
    """The task's one state in words (the task read through `selectors.with_state`)."""
    return exports.status_text(task, today)


@register.inclusion_tag("tasks/_meeting.html", takes_context=True)
def meeting_notices(context: dict[str, Any], meeting: Any) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"notices": [], "may_add": False}
    return {
        "meeting": meeting,
        "notices": selectors.notices_of(meeting, user),
        "may_add": user.has_perm("tasks.add_notice", meeting),
    }
