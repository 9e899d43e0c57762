"""In the room (B6, B10).

The secretary, the organiser and the chair run the meeting in the room: the current item, the
speaker list and the timer, while the meeting is published (neither postponed, cancelled nor
deleted). The room's screen shows what the hall sees anyway, so whoever sees the published
meeting may open it (on the projector, or on their own phone).

Who may ask to speak: an account that answers for an invitation marked present (in person,
online or by a substitute: attendance.selectors.PRESENT_STATUSES) - the unit's leader or clerk
for a unit, the committee's account, the invited person - or a person named by the unit's reply
as one of its attendees, when that invitation is marked present. Nobody else: an invitee not
marked present is refused (403), an account that does not see the meeting gets a 404.
"""

from typing import cast

import rules

from accounts.models import User
from meetings.models import Meeting
from meetings.rules import (
    chairs_meeting,
    meeting_is_published,
    meeting_is_running,
    sees_meeting,
    takes_the_roll,
)

from .selectors import floor_invitations


@rules.predicate
def present_in_room(user: User, meeting: object) -> bool:
    return meeting is not None and bool(floor_invitations(user, cast(Meeting, meeting)))


rules.add_perm(
    "room.run_meeting", sees_meeting & meeting_is_running & (takes_the_roll | chairs_meeting)
)
rules.add_perm("room.view_screen", sees_meeting & meeting_is_published)
rules.add_perm("room.request_floor", sees_meeting & meeting_is_running & present_in_room)
