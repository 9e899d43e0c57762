"""Conclusion notices and tasks (B12).

The meeting's office writes and issues its conclusion notice and follows the tasks: whoever
organises the meeting, its secretary, and the leaders of the organising unit. A draft is the
office's alone. Once issued, the notice is read by whoever sees the meeting and by the units it
gives tasks to; a task by the office, its unit in charge (which reports on it: its leader and its
unit account) and the cooperating units (read only). Another unit's task does not exist for it.
"""

import rules

from accounts.models import User
from accounts.rules import has_unit, is_admin, is_unit_manager, unit_may_organise
from core.predicates import status_is
from meetings.rules import is_meeting_office, meeting_is_open, meeting_is_published, sees_meeting

from .selectors import cooperates, unit_involved_in_notice


def _notice_of(obj: object) -> object:
    return getattr(obj, "notice", obj)


@rules.predicate
def issues_notice(user: User, obj: object) -> bool:
    """The office of the notice's (or the task's notice's) meeting."""
    notice = _notice_of(obj)
    return notice is not None and bool(is_meeting_office(user, getattr(notice, "meeting", None)))


@rules.predicate
def notice_is_draft(user: User, obj: object) -> bool:
    return getattr(_notice_of(obj), "status", None) == "draft"


@rules.predicate
def notice_is_issued(user: User, obj: object) -> bool:
    return getattr(_notice_of(obj), "status", None) == "issued"


@rules.predicate
def unit_has_task_in_notice(user: User, notice: object) -> bool:
    return user.is_authenticated and bool(user.unit_id) and unit_involved_in_notice(user, notice)


@rules.predicate
def sees_notice_meeting(user: User, notice: object) -> bool:
    return bool(sees_meeting(user, getattr(notice, "meeting", None)))


@rules.predicate
def unit_in_charge(user: User, task: object) -> bool:
    unit_id = getattr(user, "unit_id", None)
    return unit_id is not None and getattr(task, "unit_id", None) == unit_id


@rules.predicate
def unit_cooperates(user: User, task: object) -> bool:
    return user.is_authenticated and bool(user.unit_id) and cooperates(user, task)


task_is_open = status_is("open")
task_is_reported = status_is("reported")


@rules.predicate
def follows_tasks_for_office(user: User) -> bool:
    """Clerks and secretaries follow the tasks of the meetings they run; the organising units'
    leaders those of their unit's meetings."""
    return user.is_authenticated and (
        user.role in {User.Role.CLERK, User.Role.SECRETARY}
        or (user.role == User.Role.UNIT_LEADER and bool(unit_may_organise(user)))
    )


rules.add_perm("tasks.add_notice", is_meeting_office & meeting_is_published & meeting_is_open)
rules.add_perm(
    "tasks.view_notice",
    issues_notice | (notice_is_issued & (sees_notice_meeting | unit_has_task_in_notice)),
)
rules.add_perm("tasks.change_notice", issues_notice & notice_is_draft)
rules.add_perm("tasks.issue_notice", issues_notice & notice_is_draft)
rules.add_perm(
    "tasks.view_task", issues_notice | (notice_is_issued & (unit_in_charge | unit_cooperates))
)
rules.add_perm(
    "tasks.report_task", notice_is_issued & unit_in_charge & is_unit_manager & task_is_open
)
rules.add_perm("tasks.decide_task", issues_notice & notice_is_issued & task_is_reported)
# Signing the issued notice (B14): its office; the signatures app gives each key to its holder.
rules.add_perm("tasks.sign_notice", issues_notice & notice_is_issued)
rules.add_perm("tasks.view_unit_board", has_unit & ~is_admin)
rules.add_perm("tasks.view_office_board", follows_tasks_for_office)
