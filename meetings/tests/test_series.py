"""Copying a meeting and series of meetings: what a copy keeps and leaves, the dates a rule gives
(month ends, "the first Monday"), and changes to "this and the following" meetings."""

from datetime import date, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.tests.factories import CommitteeFactory, PersonFactory
from catalogs.models import Location
from meetings import services
from meetings.agenda import AgendaRow
from meetings.models import Meeting, MeetingChange
from meetings.recurrence import (
    MAX_OCCURRENCES,
    MONTHLY_DAY,
    MONTHLY_WEEKDAY,
    WEEKLY,
    SeriesRule,
    describe,
    occurrences,
)
from meetings.tests.factories import make_document, make_meeting, publish


@pytest.fixture
def clerk(role_users):
    return role_users["clerk"]


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))  # type: ignore[arg-type]


def days(rule: SeriesRule, first: datetime) -> list[date]:
    return [timezone.localtime(start).date() for start in occurrences(rule.rrule(first), first)]


# ---- the rule's dates ----------------------------------------------------------------------------
def test_weekly_on_chosen_weekdays_counts_the_first_meeting() -> None:
    first = local(2027, 1, 4, 8, 0)  # a Monday
    rule = SeriesRule(WEEKLY, weekdays=(0, 3), count=5)
    assert days(rule, first) == [
        date(2027, 1, 4),
        date(2027, 1, 7),
        date(2027, 1, 11),
        date(2027, 1, 14),
        date(2027, 1, 18),
    ]
    starts = occurrences(rule.rrule(first), first)
    assert all(timezone.localtime(s).time() == first.time() for s in starts)
    assert describe(rule.rrule(first)) == "hằng tuần vào thứ Hai, thứ Năm, 5 cuộc họp"


def test_monthly_on_the_31st_falls_on_the_last_day_of_shorter_months() -> None:
    first = local(2027, 1, 31, 14, 0)
    assert days(SeriesRule(MONTHLY_DAY, count=4), first) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    # A leap year's February has its 29th.
    assert days(SeriesRule(MONTHLY_DAY, count=2), local(2028, 1, 30, 8, 0)) == [
        date(2028, 1, 30),
        date(2028, 2, 29),
    ]


def test_monthly_on_the_first_monday_until_a_date() -> None:
    first = local(2027, 1, 4, 8, 0)  # the first Monday of January
    rule = SeriesRule(MONTHLY_WEEKDAY, until=date(2027, 5, 3))
    assert days(rule, first) == [
        date(2027, 1, 4),
        date(2027, 2, 1),
        date(2027, 3, 1),
        date(2027, 4, 5),
        date(2027, 5, 3),
    ]
    assert describe(rule.rrule(first)) == (
        "hằng tháng vào thứ Hai đầu tiên của tháng, đến ngày 03/05/2027"
    )


def test_a_fifth_weekday_means_the_last_of_the_month() -> None:
    first = local(2027, 1, 29, 8, 0)  # the fifth (and last) Friday of January
    assert days(SeriesRule(MONTHLY_WEEKDAY, count=3), first) == [
        date(2027, 1, 29),
        date(2027, 2, 26),
        date(2027, 3, 26),
    ]


def test_a_series_never_passes_the_cap() -> None:
    first = local(2027, 1, 4, 8, 0)
    assert len(days(SeriesRule(WEEKLY, weekdays=(0,), count=500), first)) == MAX_OCCURRENCES
    assert len(days(SeriesRule(WEEKLY, weekdays=(0,), until=date(2031, 1, 1)), first)) == (
        MAX_OCCURRENCES
    )


# ---- copying -------------------------------------------------------------------------------------
def test_a_copy_keeps_invitees_and_agenda_not_documents_nor_history(
    clerk, department, other_department, role_users
) -> None:
    committee = CommitteeFactory()
    person = PersonFactory()
    meeting = make_meeting(
        by=clerk,
        units=[department, other_department],
        committees=[committee],
        persons=[person],
        secretary=role_users["secretary"],
        chair=person,
    )
    services.meeting_update(
        meeting=meeting,
        by=clerk,
        data={},
        revision=meeting.revision,
        invitees=services.Invitees(
            units=[department, other_department], committees=[committee], persons=[person]
        ),
        agenda=[
            AgendaRow("Báo cáo tình hình", "Sở Tài chính", 20),
            AgendaRow("Thảo luận", "", None),
        ],
    )
    publish(meeting, clerk)
    make_document(meeting, clerk)
    start = meeting.start_at + timedelta(days=7)

    copy = services.meeting_copy(
        meeting=meeting, by=clerk, start_at=start, end_at=start + timedelta(hours=3)
    )

    copy.refresh_from_db()
    assert copy.pk != meeting.pk
    assert copy.status == Meeting.Status.DRAFT and copy.published_at is None
    assert (copy.start_at, copy.end_at) == (start, start + timedelta(hours=3))
    for name in ("title", "type_id", "form_id", "field_id", "location_id", "chair_id"):
        assert getattr(copy, name) == getattr(meeting, name), name
    assert copy.secretary_id == role_users["secretary"].pk
    assert {
        (i.kind, i.unit_id or i.committee_id or i.person_id) for i in copy.invitations.all()
    } == {
        ("unit", department.pk),
        ("unit", other_department.pk),
        ("committee", committee.pk),
        ("person", person.pk),
    }
    assert [(i.title, i.presenter, i.planned_minutes) for i in copy.agenda_items.all()] == [
        ("Báo cáo tình hình", "Sở Tài chính", 20),
        ("Thảo luận", "", None),
    ]
    assert copy.agenda == meeting.agenda
    assert not copy.documents.exists()
    assert meeting.documents.count() == 1
    history = list(copy.changes.all())
    assert [c.kind for c in history] == [MeetingChange.Kind.COPIED]
    assert meeting.title in history[0].summary
    assert not history[0].visible_to_invitees
    # The source is untouched.
    assert meeting.invitations.count() == 4 and meeting.agenda_items.count() == 2


def test_a_copy_may_take_a_new_title_and_refuses_a_backwards_time(clerk, department) -> None:
    meeting = make_meeting(by=clerk, units=[department])
    start = meeting.start_at + timedelta(days=7)
    copy = services.meeting_copy(
        meeting=meeting,
        by=clerk,
        start_at=start,
        end_at=start + timedelta(hours=1),
        title="Họp giao ban tháng 12",
    )
    assert Meeting.objects.get(pk=copy.pk).title == "Họp giao ban tháng 12"
    with pytest.raises(ValidationError):
        services.meeting_copy(meeting=meeting, by=clerk, start_at=start, end_at=start)


# ---- series --------------------------------------------------------------------------------------
def weekly_series(clerk, department, n: int = 4) -> list[Meeting]:
    meeting = make_meeting(by=clerk, title="Giao ban tuần", units=[department], days_ahead=3)
    weekday = timezone.localtime(meeting.start_at).weekday()
    services.series_create(
        meeting=meeting, by=clerk, rule=SeriesRule(WEEKLY, weekdays=(weekday,), count=n)
    )
    return list(Meeting.objects.filter(series=meeting.series).order_by("start_at"))


def test_a_series_makes_a_draft_for_each_date(clerk, department) -> None:
    meetings = weekly_series(clerk, department, 4)
    assert len(meetings) == 4
    first = meetings[0]
    assert [m.start_at for m in meetings] == [first.start_at + timedelta(weeks=w) for w in range(4)]
    assert all(m.end_at - m.start_at == first.end_at - first.start_at for m in meetings)
    assert all(m.is_draft for m in meetings)
    assert all(
        list(m.invitations.values_list("unit_id", flat=True)) == [department.pk] for m in meetings
    )
    assert first.series.rule.startswith("FREQ=WEEKLY")
    assert first.series.created_by == clerk
    # The series is a record like the meetings: its creation is in the audit log (D3).
    assert LogEntry.objects.get_for_object(first.series).filter(action=LogEntry.Action.CREATE)
    for later in meetings[1:]:
        assert [c.kind for c in later.changes.all()] == [MeetingChange.Kind.COPIED]
    with pytest.raises(ValidationError):
        services.series_create(meeting=first, by=clerk, rule=SeriesRule(WEEKLY, count=2))


def test_editing_this_and_the_following_changes_only_those(
    clerk, department, other_department
) -> None:
    meetings = weekly_series(clerk, department, 4)
    publish(meetings[1], clerk)
    second = Meeting.objects.get(pk=meetings[1].pk)
    room, _ = Location.objects.get_or_create(unit=clerk.unit, name="Hội trường lớn")
    before = {m.pk: (m.start_at, m.title, m.location_id) for m in meetings}

    services.meeting_update_following(
        meeting=second,
        by=clerk,
        data={
            "title": "Giao ban tuần (mở rộng)",
            "location": room,
            "start_at": second.start_at + timedelta(hours=2),
            "end_at": second.end_at + timedelta(hours=2),
        },
        revision=second.revision,
        invitees=services.Invitees(units=[department, other_department]),
    )

    after = {m.pk: m for m in Meeting.objects.filter(series=second.series)}
    first = after[meetings[0].pk]
    assert (first.start_at, first.title, first.location_id) == before[first.pk]
    assert list(first.invitations.values_list("unit_id", flat=True)) == [department.pk]
    for meeting in meetings[1:]:
        changed = after[meeting.pk]
        assert changed.title == "Giao ban tuần (mở rộng)"
        assert changed.location_id == room.pk
        assert changed.start_at == before[meeting.pk][0] + timedelta(hours=2)
        assert set(changed.invitations.values_list("unit_id", flat=True)) == {
            department.pk,
            other_department.pk,
        }
        assert changed.changes.filter(kind=MeetingChange.Kind.EDITED).count() == 1


def test_this_and_following_leaves_ended_and_cancelled_meetings(clerk, department) -> None:
    meetings = weekly_series(clerk, department, 4)
    for meeting in meetings[2:]:
        publish(meeting, clerk)
    services.meeting_cancel(meeting=meetings[2], by=clerk, reason="Trùng lịch")
    services.meeting_update_following(
        meeting=meetings[0],
        by=clerk,
        data={"title": "Giao ban"},
        revision=meetings[0].revision,
        invitees=services.Invitees(units=[department]),
    )
    titles = list(
        Meeting.objects.filter(series=meetings[0].series)
        .order_by("start_at")
        .values_list("title", flat=True)
    )
    assert titles == ["Giao ban", "Giao ban", "Giao ban tuần", "Giao ban"]


def test_cancelling_this_and_the_following(clerk, department) -> None:
    meetings = weekly_series(clerk, department, 4)
    for meeting in meetings[:3]:
        publish(meeting, clerk)
    following = services.meeting_cancel_following(
        meeting=Meeting.objects.get(pk=meetings[1].pk), by=clerk, reason="Đổi lịch cả quý"
    )
    assert [m.pk for m in following] == [m.pk for m in meetings[2:]]
    after = {m.pk: m for m in Meeting.objects.filter(series=meetings[0].series)}
    assert after[meetings[0].pk].status == Meeting.Status.PUBLISHED
    assert after[meetings[1].pk].status == Meeting.Status.CANCELLED
    assert after[meetings[2].pk].status == Meeting.Status.CANCELLED
    assert after[meetings[2].pk].status_reason == "Đổi lịch cả quý"
    # The last one was a draft nobody was sent: it goes.
    assert after[meetings[3].pk].deleted_at is not None
