"""A meeting with several invited units, each with a leader who answers for it."""

from dataclasses import dataclass

import pytest

from accounts.models import User
from accounts.tests.factories import UnitFactory, UserFactory
from attendance.models import Presence
from meetings.models import Invitation, Meeting
from meetings.tests.factories import make_meeting, publish


@dataclass
class Voter:
    user: User
    invitation: Invitation


def add_voters(meeting: Meeting, marked_by: User, n: int, status: str | None = "present") -> list:
    voters = []
    for _i in range(n):
        unit = UnitFactory()
        invitation = Invitation.objects.create(meeting=meeting, unit=unit)
        leader = UserFactory(role=User.Role.UNIT_LEADER, unit=unit)
        if status is not None:
            Presence.objects.create(
                invitation=invitation,
                status=status,
                marked_by=marked_by,
                reason="Công tác" if status == "absent" else "",
            )
        voters.append(Voter(user=leader, invitation=invitation))
    return voters


@pytest.fixture
def room(role_users, department) -> dict:
    """The published meeting of the department (its leader and unit clerk answer for it, both
    marked present) and three more invited units whose leaders answer for them: two present,
    one absent."""
    clerk = role_users["clerk"]
    meeting = make_meeting(
        by=clerk,
        title="Họp thông qua kế hoạch",
        units=[department],
        secretary=role_users["secretary"],
    )
    publish(meeting, clerk)
    own = meeting.invitations.get()
    Presence.objects.create(invitation=own, status="present", marked_by=clerk)
    present = add_voters(meeting, clerk, 2)
    absent = add_voters(meeting, clerk, 1, status="absent")
    return {"meeting": meeting, "own": own, "present": present, "absent": absent[0]}
