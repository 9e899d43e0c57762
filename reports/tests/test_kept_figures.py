"""The counts kept per unit and month equal a recount of the raw rows after every kind of event,
through the services users reach them by, and under concurrent events on PostgreSQL; a rebuild
gives the same rows and the same report."""

import io
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from accounts.login_log import login_event_record
from accounts.models import LoginEvent, User
from accounts.tests.factories import UserFactory
from attendance.services import NamedAttendee, presence_mark, reply_set
from comments.services import comment_add
from documents.services import document_delete, download_record
from meetings import services
from meetings.models import Invitation, Meeting
from meetings.tests.factories import make_document, make_meeting, publish
from reports import figures
from reports.models import AccountMonth, MeetingMonth, UnitMonth
from reports.selectors import Period, Scope, statistics, usage


def _months() -> list[date]:
    """Every month that holds kept rows or raw rows of the datasets here."""
    first = date(2024, 1, 1)
    last = figures.month_of(timezone.now() + timedelta(days=800))
    months, month = [], first
    while month <= last:
        months.append(month)
        month = figures.month_end(month) + timedelta(days=1)
    return months


def kept() -> tuple[dict[Any, dict[str, int]], dict[Any, int], dict[Any, dict[str, int]]]:
    units = {}
    for row in UnitMonth.objects.all():
        values = {c: getattr(row, c) for c in figures.COLUMNS if getattr(row, c)}
        if values:
            units[(row.month, row.unit_key)] = values
    logins = {
        (r.month, r.user_key, r.unit_key): r.logins
        for r in AccountMonth.objects.filter(logins__gt=0)
    }
    groups = {}
    for row in MeetingMonth.objects.all():
        values = {c: getattr(row, c) for c in figures.MEETING_GROUP_COLUMNS if getattr(row, c)}
        if values:
            groups[(row.month, *(getattr(row, k) for k in figures.GROUP_KEYS))] = values
    return units, logins, groups


def recounted() -> tuple[dict[Any, dict[str, int]], dict[Any, int], dict[Any, dict[str, int]]]:
    units: dict[Any, dict[str, int]] = {}
    logins: dict[Any, int] = {}
    groups: dict[Any, dict[str, int]] = {}
    for month in _months():
        last = figures.month_end(month)
        for counts in (figures.count_meetings(month, last), figures.count_events(month, last)):
            for key, values in counts.items():
                nonzero = {c: n for c, n in values.items() if n}
                if nonzero:
                    units.setdefault((month, key), {}).update(nonzero)
        for (user, unit), n in figures.count_logins(month, last).items():
            logins[(month, user, unit)] = n
        meetings = figures.counted_meetings(month, last)
        for (month_, group), values in figures.count_meeting_groups(meetings).items():
            nonzero = {c: n for c, n in values.items() if n}
            if nonzero:
                groups[(month_, *group)] = nonzero
    return units, logins, groups


def assert_kept_is_a_recount() -> None:
    kept_units, kept_logins, kept_groups = kept()
    raw_units, raw_logins, raw_groups = recounted()
    assert kept_units == raw_units
    assert kept_logins == raw_logins
    assert kept_groups == raw_groups


def test_the_hand_worked_dataset_is_kept_as_recounted(dataset):
    assert_kept_is_a_recount()
    assert UnitMonth.objects.filter(invited__gt=0).exists()


def test_a_rebuild_gives_the_same_rows_and_reports(dataset):
    before = kept()
    year = Period(date(2025, 1, 1), date(2025, 12, 31))
    tables = [t.rows for t in statistics(Scope(), year)] + [
        t.rows for t in usage(Scope(), year).tables
    ]
    UnitMonth.objects.update(invited=0, viewed=0, downloads=0)
    AccountMonth.objects.all().delete()
    MeetingMonth.objects.update(meetings=7, documents=0)
    assert figures.rebuild() > 12
    assert kept() == before
    again = [t.rows for t in statistics(Scope(), year)] + [
        t.rows for t in usage(Scope(), year).tables
    ]
    assert again == tables


def test_the_rebuild_command_puts_a_wrong_row_right(dataset):
    row = UnitMonth.objects.filter(viewed__gt=0).first()
    UnitMonth.objects.filter(pk=row.pk).update(viewed=row.viewed + 3)
    out = io.StringIO()
    call_command("rebuild_figures", stdout=out)
    assert "1 kept rows differed" in out.getvalue()
    assert_kept_is_a_recount()
    out = io.StringIO()
    call_command("rebuild_figures", stdout=out)
    assert "0 kept rows differed" in out.getvalue()


def test_partial_months_are_recounted_at_the_edges(dataset):
    """A period from the 10th of March to the 11th of November: the kept months in between and
    the raw rows of the two partial months add up to a recount of the whole period."""
    first, last = date(2025, 3, 10), date(2025, 11, 11)
    whole, partial = figures.split(first, last)
    assert whole[0] == date(2025, 4, 1) and whole[-1] == date(2025, 10, 1)
    assert partial == [(first, date(2025, 3, 31)), (date(2025, 11, 1), last)]
    raw = figures.count_meetings(first, last)
    for key, counts in figures.count_events(first, last).items():
        raw[key].update(counts)
    combined = figures.unit_figures(first, last)
    assert {k: +v for k, v in combined.items() if +v} == {k: +v for k, v in raw.items() if +v}


@pytest.fixture
def cast(db, office, department, other_department) -> dict[str, Any]:
    clerk = UserFactory(username="vt-kept", role=User.Role.CLERK, unit=office)
    stc = UserFactory(
        username="stc-kept", role=User.Role.UNIT_CLERK, kind=User.Kind.UNIT, unit=department
    )
    stc_leader = UserFactory(username="stc-ld-kept", role=User.Role.UNIT_LEADER, unit=department)
    skhdt = UserFactory(
        username="skhdt-kept",
        role=User.Role.UNIT_CLERK,
        kind=User.Kind.UNIT,
        unit=other_department,
    )
    return {
        "clerk": clerk,
        "stc": stc,
        "stc_leader": stc_leader,
        "skhdt": skhdt,
        "units": [department, other_department],
    }


def test_every_kind_of_event_keeps_the_counts(cast, settings):
    settings.RETENTION_MONTHS = 0  # so that a published meeting may be deleted here
    clerk, stc, leader, skhdt = cast["clerk"], cast["stc"], cast["stc_leader"], cast["skhdt"]
    department, other = cast["units"]
    meeting = make_meeting(by=clerk, units=[department, other], days_ahead=3)
    assert_kept_is_a_recount()  # a draft counts nowhere

    publish(meeting, clerk)
    assert UnitMonth.objects.get(unit_key=department.pk).invited == 1
    assert_kept_is_a_recount()

    services.receipt_record_view(meeting=meeting, user=stc)
    services.receipt_record_view(meeting=meeting, user=leader)  # one unit, one meeting
    services.receipt_record_view(meeting=meeting, user=stc)
    assert UnitMonth.objects.get(unit_key=department.pk).viewed == 1
    assert_kept_is_a_recount()

    document = make_document(meeting, clerk)
    download_record(version=document.current, user=stc, session_key=None)
    download_record(version=document.current, user=leader, session_key=None)
    download_record(version=document.current, user=clerk, session_key=None)  # not invited
    assert_kept_is_a_recount()

    invitation = Invitation.objects.get(meeting=meeting, unit=department)
    reply_set(invitation=invitation, by=stc, declined=False, attendees=[NamedAttendee("An")])
    reply_set(
        invitation=Invitation.objects.get(meeting=meeting, unit=other),
        by=skhdt,
        declined=True,
        reason="Trùng lịch",
    )
    assert_kept_is_a_recount()

    comment_add(meeting=meeting, by=stc, body="Đề nghị bổ sung số liệu.")
    comment_add(meeting=meeting, by=clerk, body="Đã tiếp thu.")
    assert_kept_is_a_recount()

    spare = make_document(meeting, clerk, name="Phụ lục.pdf")
    assert_kept_is_a_recount()
    document_delete(document=spare, by=clerk, reason="Tải nhầm")
    assert MeetingMonth.objects.get(meetings=1).documents == 1
    assert_kept_is_a_recount()

    presence_mark(invitation=invitation, by=clerk, status="present")
    assert UnitMonth.objects.get(unit_key=other.pk).rolled == 1  # the whole meeting is rolled
    presence_mark(
        invitation=Invitation.objects.get(meeting=meeting, unit=other),
        by=clerk,
        status="absent",
        reason="Ốm",
    )
    assert_kept_is_a_recount()

    login_event_record(
        kind=LoginEvent.Kind.SUCCESS, user=stc, username_tried="stc-kept", ip_address=None,
        user_agent="",
    )  # fmt: skip
    login_event_record(
        kind=LoginEvent.Kind.FAILURE, user=stc, username_tried="stc-kept", ip_address=None,
        user_agent="",
    )  # fmt: skip
    assert_kept_is_a_recount()

    # An invitee taken off a published meeting, then put back.
    meeting.refresh_from_db()
    services.invitations_set(meeting=meeting, by=clerk, invitees=services.Invitees(units=[other]))
    assert_kept_is_a_recount()
    services.invitations_set(
        meeting=meeting, by=clerk, invitees=services.Invitees(units=[department, other])
    )
    assert_kept_is_a_recount()

    # Postponed to a date two months on, then cancelled, then deleted: the meeting leaves the
    # month it was counted in, and the events it had stay counted by their own month.
    meeting.refresh_from_db()
    later = meeting.start_at + timedelta(days=62)
    services.meeting_postpone(
        meeting=meeting,
        by=clerk,
        reason="Lùi lịch",
        start_at=later,
        end_at=later + timedelta(hours=2),
    )
    assert_kept_is_a_recount()
    second = make_meeting(by=clerk, title="Họp lần hai", units=[department], days_ahead=4)
    publish(second, clerk)
    services.receipt_record_view(meeting=second, user=stc)
    assert_kept_is_a_recount()
    meeting.refresh_from_db()
    services.meeting_cancel(meeting=meeting, by=clerk, reason="Không còn cần thiết")
    assert_kept_is_a_recount()
    second.refresh_from_db()
    services.meeting_delete(meeting=second, by=clerk, reason="Nhập nhầm")
    assert_kept_is_a_recount()
    assert not UnitMonth.objects.filter(invited__gt=0).exists()


def test_a_draft_deleted_for_good_leaves_nothing(cast):
    clerk, department = cast["clerk"], cast["units"][0]
    meeting = make_meeting(by=clerk, units=[department])
    Meeting.objects.filter(pk=meeting.pk).delete()
    assert_kept_is_a_recount()


def test_a_receipt_begun_by_a_reply_gets_its_first_view(cast):
    clerk, stc, department = cast["clerk"], cast["stc"], cast["units"][0]
    meeting = publish(make_meeting(by=clerk, units=[department]), clerk)
    invitation = Invitation.objects.get(meeting=meeting, unit=department)
    reply_set(invitation=invitation, by=stc, declined=False, attendees=[NamedAttendee("An")])
    assert UnitMonth.objects.get(unit_key=department.pk).viewed == 0
    services.receipt_record_view(meeting=meeting, user=stc)
    assert UnitMonth.objects.get(unit_key=department.pk).viewed == 1
    assert_kept_is_a_recount()


def test_the_report_reads_kept_rows_not_the_raw_rows(dataset):
    """The province-year report is served from the kept rows: changing a kept row changes it
    (proof that the page reads them); a rebuild puts it right."""
    year = Period(date(2025, 1, 1), date(2025, 12, 31))
    row = UnitMonth.objects.filter(invited__gt=0).first()
    UnitMonth.objects.filter(pk=row.pk).update(invited=row.invited + 40)
    tables = {t.key: t for t in statistics(Scope(), year)}
    assert tables["compliance"].total[1] == 5 + 40
    figures.rebuild()
    tables = {t.key: t for t in statistics(Scope(), year)}
    assert tables["compliance"].total[1] == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_events_keep_the_counts(office, department, other_department):
    """Eight accounts of two units view, download, comment and sign in at the same moment, each
    on its own connection: the kept rows still equal a recount."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time; the race is PostgreSQL's")
    clerk = UserFactory(username="vt-race", role=User.Role.CLERK, unit=office)
    accounts = [
        UserFactory(username=f"race-{i}", role=User.Role.UNIT_LEADER, unit=unit)
        for i, unit in enumerate([department, other_department] * 4)
    ]
    meeting = publish(
        make_meeting(by=clerk, units=[department, other_department], days_ahead=2), clerk
    )
    document = make_document(meeting, clerk)
    barrier = threading.Barrier(len(accounts))
    errors: list[BaseException] = []

    def act(user: User) -> None:
        try:
            barrier.wait(timeout=30)
            services.receipt_record_view(meeting=meeting, user=user)
            download_record(version=document.current, user=user, session_key=None)
            comment_add(meeting=meeting, by=user, body=f"Ý kiến của {user.username}")
            login_event_record(
                kind=LoginEvent.Kind.SUCCESS, user=user, username_tried=user.username,
                ip_address=None, user_agent="",
            )  # fmt: skip
        except BaseException as error:  # noqa: BLE001 (reported by the test below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(user,)) for user in accounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    month = figures.month_of(meeting.start_at)
    row = UnitMonth.objects.get(unit_key=department.pk, month=month)
    assert (row.viewed, row.downloaded, row.commented) == (1, 1, 1)
    now = figures.month_of(timezone.now())
    assert UnitMonth.objects.get(unit_key=department.pk, month=now).downloads == 4
    assert_kept_is_a_recount()
