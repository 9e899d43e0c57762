"""Each invitation keeps its meeting's start, written by the database's triggers (migration 0011)
whatever writes the rows: the services, a bulk update, a stale instance saved again, a bulk
insert. Both engines: each has its own triggers."""

from datetime import timedelta

import pytest
from django.db import connection

from meetings.models import Invitation, Meeting
from meetings.tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def starts(meeting: Meeting) -> set[object]:
    return set(
        Invitation.objects.filter(meeting=meeting).values_list("meeting_start_at", flat=True)
    )


def test_an_invitation_takes_its_meetings_start(role_users, department, other_department) -> None:
    meeting = make_meeting(by=role_users["clerk"], units=[department, other_department])
    assert starts(meeting) == {meeting.start_at}


def test_a_meeting_moved_moves_its_invitations(role_users, department, other_department) -> None:
    meeting = make_meeting(by=role_users["clerk"], units=[department, other_department])
    later = meeting.start_at + timedelta(days=3, hours=2)
    meeting.start_at = later
    meeting.end_at = later + timedelta(hours=2)
    meeting.save()
    assert starts(meeting) == {later}
    # An UPDATE of the table, no model, no signal.
    earlier = later - timedelta(days=10)
    Meeting.objects.filter(pk=meeting.pk).update(start_at=earlier)
    assert starts(meeting) == {earlier}
    # Other meetings' invitations are left alone.
    other = make_meeting(by=role_users["clerk"], units=[department], days_ahead=40)
    assert starts(other) == {other.start_at}


def test_what_the_application_writes_is_replaced(role_users, department, other_department) -> None:
    meeting = make_meeting(by=role_users["clerk"], units=[department])
    invitation = Invitation.objects.get(meeting=meeting)
    invitation.meeting_start_at = meeting.start_at - timedelta(days=365)
    invitation.note = "Mời lãnh đạo dự"
    invitation.save()
    assert starts(meeting) == {meeting.start_at}
    Invitation.objects.bulk_create([Invitation(meeting=meeting, unit=other_department)])
    assert starts(meeting) == {meeting.start_at}
    with connection.cursor() as cursor:  # by hand
        cursor.execute("UPDATE meetings_invitation SET meeting_start_at = NULL")
    assert starts(meeting) == {meeting.start_at}
