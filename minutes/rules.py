"""Minutes (B7).

The secretary and the organiser draft and edit the minutes of a published meeting; the chair
reads the drafts and approves or returns them. The chair is a person (accounts.Person): when no
active account is that person (or the meeting names no chair), the organiser unit's leader (role
"unit_leader") approves instead. Approval publishes the approved version to whoever sees the
meeting; the drafts stay with those who make and approve them (an invitee asking for one gets a
403, an outsider a 404).
"""

import rules

from accounts.models import User
from meetings.rules import meeting_is_open, meeting_is_published, sees_meeting, takes_the_roll


@rules.predicate
def approves_minutes(user: User, meeting: object) -> bool:
    if meeting is None or not user.is_authenticated:
        return False
    chair_id = getattr(meeting, "chair_id", None)
    if chair_id is not None:
        if user.person_id == chair_id:
            return True
        if User.objects.filter(person_id=chair_id, is_active=True).exists():
            return False
    return user.role == User.Role.UNIT_LEADER and user.unit_id == getattr(
        meeting, "organiser_unit_id", None
    )


def _minutes_meeting(minutes: object) -> object:
    return getattr(minutes, "meeting", None)


@rules.predicate
def approves_these_minutes(user: User, minutes: object) -> bool:
    return bool(approves_minutes(user, _minutes_meeting(minutes)))


@rules.predicate
def sees_minutes(user: User, minutes: object) -> bool:
    return bool(sees_meeting(user, _minutes_meeting(minutes)))


@rules.predicate
def minutes_are_approved(user: User, minutes: object) -> bool:
    return getattr(minutes, "approved_version_id", None) is not None


minutes_seen = sees_meeting & meeting_is_published
rules.add_perm("minutes.view_minutes", minutes_seen)
rules.add_perm("minutes.draft_minutes", minutes_seen & (takes_the_roll | approves_minutes))
rules.add_perm("minutes.change_minutes", minutes_seen & meeting_is_open & takes_the_roll)
rules.add_perm("minutes.approve_minutes", minutes_seen & meeting_is_open & approves_minutes)
# On the Minutes object (signatures): the approved minutes and their signed PDF are everyone's
# who sees the meeting; whoever approves them signs them.
rules.add_perm("minutes.view_published", sees_minutes & minutes_are_approved)
rules.add_perm("minutes.sign_minutes", sees_minutes & minutes_are_approved & approves_these_minutes)
