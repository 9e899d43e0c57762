"""Meeting services: the notice rule, the lifecycle, concurrent edits, invitees, retention."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from accounts.tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, UserFactory
from meetings import services
from meetings.models import Invitation, Meeting, MeetingChange
from meetings.selectors import meetings_visible_to
from meetings.tests.factories import make_meeting


@pytest.fixture
def clerk(role_users):
    return role_users["clerk"]


def test_publishing_in_time_needs_no_reason(clerk, department) -> None:
    meeting = make_meeting(by=clerk, units=[department], days_ahead=10)
    services.meeting_publish(meeting=meeting, by=clerk)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.published_at is not None
    assert meeting.late_reason == ""


def test_publishing_late_requires_a_reason_and_keeps_it(clerk, department) -> None:
    meeting = make_meeting(by=clerk, units=[department], days_ahead=2)  # regular: 3 days
    with pytest.raises(ValidationError) as error:
        services.meeting_publish(meeting=meeting, by=clerk, late_reason="  ")
    assert error.value.code == "late"
    assert "3 ngày" in error.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    services.meeting_publish(meeting=meeting, by=clerk, late_reason="Chỉ đạo đột xuất của UBND")
    meeting.refresh_from_db()
    assert meeting.late_reason == "Chỉ đạo đột xuất của UBND"
    change = meeting.changes.get(kind=MeetingChange.Kind.PUBLISHED)
    assert change.summary == "Chỉ đạo đột xuất của UBND"


def test_irregular_meetings_need_one_day(clerk, department) -> None:
    from catalogs.models import MeetingType

    urgent, _ = MeetingType.objects.get_or_create(
        code="bat-thuong", defaults={"name": "Họp bất thường", "min_notice_days": 1}
    )
    meeting = make_meeting(by=clerk, units=[department], days_ahead=2, type=urgent)
    services.meeting_publish(meeting=meeting, by=clerk)
    assert Meeting.objects.get(pk=meeting.pk).late_reason == ""


def test_publishing_without_invitees_or_in_the_past_is_refused(clerk, department) -> None:
    meeting = make_meeting(by=clerk)
    with pytest.raises(ValidationError) as error:
        services.meeting_publish(meeting=meeting, by=clerk)
    assert error.value.code == "no_invitees"
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=timezone.now() - timedelta(hours=1), end_at=timezone.now() + timedelta(hours=1)
    )
    meeting.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.meeting_publish(meeting=meeting, by=clerk)
    assert error.value.code == "past"


def test_phase_follows_the_clock(clerk, department) -> None:
    meeting = make_meeting(by=clerk, units=[department])
    assert meeting.phase == Meeting.Phase.DRAFT
    services.meeting_publish(meeting=meeting, by=clerk)
    assert meeting.phase_at(meeting.start_at - timedelta(minutes=1)) == Meeting.Phase.UPCOMING
    assert meeting.phase_at(meeting.start_at + timedelta(minutes=1)) == Meeting.Phase.IN_PROGRESS
    assert meeting.phase_at(meeting.end_at) == Meeting.Phase.ENDED


def test_postpone_and_cancel_keep_their_reasons(clerk, department) -> None:
    meeting = make_meeting(by=clerk, units=[department])
    services.meeting_publish(meeting=meeting, by=clerk)
    with pytest.raises(ValidationError):
        services.meeting_postpone(meeting=meeting, by=clerk, reason="", start_at=None, end_at=None)
    services.meeting_postpone(
        meeting=meeting, by=clerk, reason="Lãnh đạo đi công tác", start_at=None, end_at=None
    )
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.POSTPONED
    new_start = meeting.start_at + timedelta(days=3)
    services.meeting_postpone(
        meeting=meeting,
        by=clerk,
        reason="Đã có lịch mới",
        start_at=new_start,
        end_at=new_start + timedelta(hours=1),
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.start_at) == (Meeting.Status.PUBLISHED, new_start)
    services.meeting_cancel(meeting=meeting, by=clerk, reason="Không còn cần thiết")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.status_reason) == (
        Meeting.Status.CANCELLED,
        "Không còn cần thiết",
    )
    kinds = list(meeting.changes.values_list("kind", flat=True))
    assert kinds.count(MeetingChange.Kind.POSTPONED) == 2
    assert MeetingChange.Kind.CANCELLED in kinds


def test_the_later_of_two_edits_is_refused(clerk, department) -> None:
    meeting = make_meeting(by=clerk, units=[department])
    opened_by_both = meeting.revision
    first = Meeting.objects.get(pk=meeting.pk)
    second = Meeting.objects.get(pk=meeting.pk)
    invitees = services.Invitees(units=[department])
    services.meeting_update(
        meeting=first,
        by=clerk,
        data={"title": "Tên của người thứ nhất"},
        revision=opened_by_both,
        invitees=invitees,
    )
    with pytest.raises(services.StaleEdit):
        services.meeting_update(
            meeting=second,
            by=clerk,
            data={"title": "Tên của người thứ hai"},
            revision=opened_by_both,
            invitees=invitees,
        )
    assert Meeting.objects.get(pk=meeting.pk).title == "Tên của người thứ nhất"


def test_edits_after_publishing_are_history_invitees_see(clerk, department) -> None:
    meeting = make_meeting(by=clerk, units=[department])
    services.meeting_publish(meeting=meeting, by=clerk)
    old_start = meeting.start_at
    services.meeting_update(
        meeting=meeting,
        by=clerk,
        data={
            "start_at": old_start + timedelta(hours=1),
            "end_at": meeting.end_at + timedelta(hours=1),
        },
        revision=meeting.revision,
        invitees=services.Invitees(units=[department]),
    )
    change = meeting.changes.get(kind=MeetingChange.Kind.EDITED)
    assert change.visible_to_invitees
    assert "start_at" in change.details
    assert [row[0] for row in change.detail_rows()] == ["bắt đầu", "kết thúc"]
    before, after = change.details["start_at"]
    assert before != after


def test_invitee_changes_are_recorded_for_whom_they_concern(
    clerk, department, other_department
) -> None:
    meeting = make_meeting(by=clerk, units=[department])
    services.meeting_publish(meeting=meeting, by=clerk)
    services.invitations_set(
        meeting=meeting, by=clerk, invitees=services.Invitees(units=[other_department])
    )
    assert list(meeting.invitations.values_list("unit_id", flat=True)) == [other_department.pk]
    removed = meeting.changes.get(kind=MeetingChange.Kind.INVITEE_REMOVED)
    added = meeting.changes.get(
        kind=MeetingChange.Kind.INVITEE_ADDED, invitation_unit=other_department
    )
    assert removed.invitation_unit_id == department.pk and removed.notified_at is not None
    assert added.visible_to_invitees
    invitation = meeting.invitations.get()
    services.invitation_change_note(invitation=invitation, by=clerk, note="Mời lãnh đạo Sở")
    assert meeting.changes.filter(kind=MeetingChange.Kind.INVITEE_CHANGED).count() == 1


def test_committee_invitation_reaches_its_members(clerk) -> None:
    committee = CommitteeFactory()
    person = PersonFactory()
    MembershipFactory(committee=committee, person=person)
    member = UserFactory(person=person, unit=person.unit)
    bystander = UserFactory()
    meeting = make_meeting(by=clerk, committees=[committee])
    assert not meetings_visible_to(member).filter(pk=meeting.pk).exists()  # still a draft
    services.meeting_publish(meeting=meeting, by=clerk)
    assert meetings_visible_to(member).filter(pk=meeting.pk).exists()
    assert not meetings_visible_to(bystander).filter(pk=meeting.pk).exists()
    assert Invitation.objects.filter(meeting=meeting).count() == 1


def test_retention_refuses_early_deletion_with_the_date(clerk, department) -> None:
    meeting = make_meeting(by=clerk, units=[department])
    services.meeting_publish(meeting=meeting, by=clerk)
    with pytest.raises(ValidationError) as error:
        services.meeting_delete(meeting=meeting, by=clerk, reason="Nhập trùng")
    until = services.retention_until(meeting)
    assert until.strftime("%d/%m/%Y") in error.value.messages[0]
    assert Meeting.objects.get(pk=meeting.pk).deleted_at is None
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=timezone.now() - timedelta(days=190))
    meeting.refresh_from_db()
    services.meeting_delete(meeting=meeting, by=clerk, reason="Nhập trùng")
    assert Meeting.objects.get(pk=meeting.pk).deleted_at is not None
    assert not Meeting.objects.alive().filter(pk=meeting.pk).exists()


def test_an_unpublished_draft_is_not_yet_a_record(clerk) -> None:
    meeting = make_meeting(by=clerk)
    services.meeting_delete(meeting=meeting, by=clerk, reason="Tạo nhầm")
    assert Meeting.objects.get(pk=meeting.pk).deleted_reason == "Tạo nhầm"


@override_settings(RETENTION_MONTHS=6)
def test_retention_date_is_six_months_later(clerk) -> None:
    meeting = make_meeting(by=clerk)
    Meeting.objects.filter(pk=meeting.pk).update(
        updated_at=timezone.make_aware(timezone.datetime(2026, 8, 31, 10, 0))
    )
    meeting.refresh_from_db()
    assert services.retention_until(meeting).isoformat() == "2027-02-28"


def test_meeting_changes_are_audited(clerk, department) -> None:
    from auditlog.models import LogEntry

    meeting = make_meeting(by=clerk, units=[department])
    services.meeting_publish(meeting=meeting, by=clerk)
    entries = LogEntry.objects.get_for_object(meeting)
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    assert any("status" in (e.changes_dict or {}) for e in entries)
