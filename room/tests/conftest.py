import pytest

from accounts.tests.factories import PersonFactory
from attendance.models import Attendee, Presence, Reply
from attendance.services import presence_mark
from meetings.models import AgendaItem


@pytest.fixture
def room_meeting(meetings, role_users, department):
    """The published meeting with two agenda items; the department's invitation is marked
    present, and its reply names the member (through the member's person) as an attendee."""
    meeting = meetings["published"]
    AgendaItem.objects.filter(meeting=meeting).delete()
    AgendaItem.objects.create(meeting=meeting, position=1, title="Báo cáo tình hình quý III")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Kế hoạch năm sau")
    invitation = meeting.invitations.get(unit=department)
    presence_mark(invitation=invitation, by=role_users["secretary"], status=Presence.Status.PRESENT)
    member = role_users["member"]
    member.person = PersonFactory(unit=department, full_name="Trần Thị Phát Biểu")
    member.save()
    reply = Reply.objects.create(invitation=invitation, by=role_users["unit_leader"])
    Attendee.objects.create(reply=reply, person=member.person, full_name=member.person.full_name)
    return meeting


@pytest.fixture
def items(room_meeting):
    return list(AgendaItem.objects.filter(meeting=room_meeting).order_by("position"))
