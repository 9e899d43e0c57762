"""Each invitation keeps its meeting's start, written by the database's triggers (migration 0011)
whatever writes the rows: the services, a bulk update, a stale instance saved again, a bulk
insert. Both engines: each has its own triggers."""

from datetime import timedelta

import pytest
from django.db import connection

from accounts.tests.factories import UnitFactory
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


def listed(meeting: Meeting) -> set[object]:
    return set(Invitation.objects.filter(meeting=meeting).values_list("meeting_listed", flat=True))


def test_an_invitation_keeps_whether_its_meeting_is_listed(
    role_users, department, other_department
) -> None:
    """Kept by the same triggers (migration 0013): a draft's and a deleted meeting's invitations
    are not listed, a published, postponed or cancelled meeting's are, whatever writes the rows."""
    clerk = role_users["clerk"]
    meeting = make_meeting(by=clerk, units=[department, other_department])
    assert meeting.status == Meeting.Status.DRAFT and listed(meeting) == {False}
    for status in (Meeting.Status.PUBLISHED, Meeting.Status.POSTPONED, Meeting.Status.CANCELLED):
        Meeting.objects.filter(pk=meeting.pk).update(status=status)  # no model, no signal
        assert listed(meeting) == {True}, status
    meeting.refresh_from_db()
    meeting.deleted_at = meeting.start_at
    meeting.save()
    assert listed(meeting) == {False}
    Meeting.objects.filter(pk=meeting.pk).update(deleted_at=None)
    assert listed(meeting) == {True}
    # What the application writes is replaced; a new invitation takes the meeting's state.
    invitation = Invitation.objects.filter(meeting=meeting).first()
    assert invitation is not None
    Invitation.objects.filter(pk=invitation.pk).update(meeting_listed=False)
    assert listed(meeting) == {True}
    Invitation.objects.bulk_create([Invitation(meeting=meeting, unit=UnitFactory())])
    assert listed(meeting) == {True}
    with connection.cursor() as cursor:  # by hand
        cursor.execute("UPDATE meetings_invitation SET meeting_listed = FALSE")
    assert listed(meeting) == {True}
    # Other meetings' invitations are left alone.
    draft = make_meeting(by=clerk, units=[department], days_ahead=40)
    assert listed(draft) == {False} and listed(meeting) == {True}
