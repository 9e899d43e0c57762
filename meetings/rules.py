"""Who may do what with meetings (M1-M7, D2), and the predicates on a meeting that the apps above
build their rules from.

Seeing a meeting is decided by meetings.selectors.meetings_visible_to, so that the lists and the
meeting page cannot disagree; the predicates below ask it for one object.
"""

from typing import cast

import rules

from accounts.models import User
from accounts.rules import is_admin, is_clerk, it_centre_may, unit_may_organise

from .models import Meeting
from .selectors import is_office, is_organiser, may_see


@rules.predicate
def sees_meeting(user: User, meeting: object) -> bool:
    return meeting is not None and may_see(user, cast(Meeting, meeting))


@rules.predicate
def organises_meeting(user: User, meeting: object) -> bool:
    return meeting is not None and is_organiser(user, cast(Meeting, meeting))


@rules.predicate
def is_meeting_secretary(user: User, meeting: object) -> bool:
    return meeting is not None and getattr(meeting, "secretary_id", None) == user.pk


@rules.predicate
def meeting_is_open(user: User, meeting: object) -> bool:
    """Neither cancelled nor deleted: a cancelled meeting's record stays as it was."""
    return (
        isinstance(meeting, Meeting)
        and meeting.status != Meeting.Status.CANCELLED
        and meeting.deleted_at is None
    )


@rules.predicate
def meeting_is_published(user: User, meeting: object) -> bool:
    """Published (and perhaps postponed or cancelled since): no longer a draft."""
    return meeting is not None and getattr(meeting, "status", "draft") != "draft"


@rules.predicate
def meeting_is_running(user: User, meeting: object) -> bool:
    return bool(getattr(meeting, "is_running", False))


@rules.predicate
def takes_the_roll(user: User, meeting: object) -> bool:
    return bool(is_meeting_secretary(user, meeting)) or bool(organises_meeting(user, meeting))


@rules.predicate
def chairs_meeting(user: User, meeting: object) -> bool:
    person_id = getattr(user, "person_id", None)
    return person_id is not None and getattr(meeting, "chair_id", None) == person_id


@rules.predicate
def is_meeting_office(user: User, meeting: object) -> bool:
    """The meeting's office: whoever organises it, its secretary and the organising unit's leaders
    (meetings.selectors.office_q, its query form)."""
    return meeting is not None and is_office(user, cast(Meeting, meeting))


rules.add_perm("meetings.organise_meeting", is_clerk & unit_may_organise)
rules.add_perm("meetings.add_meeting", is_clerk & unit_may_organise)
rules.add_perm("meetings.view_meeting", sees_meeting)
# Copying makes a new meeting from one the clerk can see; repeating links this one into a series.
rules.add_perm("meetings.copy_meeting", is_clerk & unit_may_organise & sees_meeting)
rules.add_perm(
    "meetings.repeat_meeting", is_clerk & unit_may_organise & organises_meeting & meeting_is_open
)
rules.add_perm("meetings.change_meeting", organises_meeting & meeting_is_open)
rules.add_perm("meetings.delete_meeting", organises_meeting)
rules.add_perm("meetings.view_receipts", organises_meeting | is_meeting_secretary)
rules.add_perm("meetings.view_history", sees_meeting)
rules.add_perm("meetings.view_chair_report", sees_meeting & (takes_the_roll | chairs_meeting))

# "meetings.view_meeting" is the pages' object rule; the admin's read-only list of published
# meetings asks its own.
rules.add_perm("meetings.list_in_admin", is_admin)
it_centre_may("meetings")
