"""The roll per named person (T2): a unit that named two people has each of them marked on their
own; a unit that named nobody, a committee or an invited person is one row. Absence and
substitution ask for their reason or name before they are saved; the figures count people."""

import importlib
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PersonFactory
from attendance.models import Attendee, Presence, Reply
from attendance.selectors import figures_for, invitations_with_attendance
from attendance.services import NamedAttendee, presence_mark, reply_set
from meetings.models import Invitation
from reports.figures import count_meetings


@pytest.fixture
def meeting(meetings):
    return meetings["published"]


@pytest.fixture
def invitation(meeting):
    return meeting.invitations.get()


@pytest.fixture
def named(role_users, invitation):
    """The department's reply names two people: the director and a specialist."""
    reply = Reply.objects.create(invitation=invitation, by=role_users["unit_leader"])
    return [
        Attendee.objects.create(reply=reply, full_name="Trần Văn Minh", position="Giám đốc"),
        Attendee.objects.create(reply=reply, full_name="Lê Thị Hoa", position="Chuyên viên"),
    ]


def _mark(client, meeting, invitation, attendee=None, htmx=True, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    if attendee is not None:
        data["attendee"] = attendee.pk
    return client.post(
        reverse("attendance:mark", args=[meeting.pk, invitation.pk]), data, headers=headers
    )


def _day(meeting) -> date:
    return timezone.localtime(meeting.start_at).date()


def test_the_roll_lists_each_named_person_under_their_unit(client_for, meeting, invitation, named):
    page = client_for("secretary").get(reverse("attendance:rollcall", args=[meeting.pk]))
    html = page.content.decode()
    director, specialist = named
    assert f'id="roll-{invitation.pk}-{director.pk}"' in html
    assert f'id="roll-{invitation.pk}-{specialist.pk}"' in html
    unit_at = html.index("Sở Tài chính", html.index('class="list-group'))
    assert unit_at < html.index("Trần Văn Minh, Giám đốc") < html.index("Lê Thị Hoa, Chuyên viên")
    assert page.context["figures"].unmarked == 2


def test_one_named_person_present_and_the_other_absent(client_for, meeting, invitation, named):
    director, specialist = named
    secretary = client_for("secretary")
    ok = _mark(secretary, meeting, invitation, director, status="present")
    assert ok.status_code == 200 and "Đã lưu" in ok.content.decode()
    assert f'id="roll-{invitation.pk}-{director.pk}"' in ok.content.decode()
    _mark(secretary, meeting, invitation, specialist, status="absent", reason="Ốm")
    marks = {p.attendee_id: (p.status, p.reason) for p in Presence.objects.all()}
    assert marks == {director.pk: ("present", ""), specialist.pk: ("absent", "Ốm")}
    figures = secretary.get(reverse("attendance:figures", args=[meeting.pk])).context["figures"]
    assert (figures.present, figures.absent, figures.attended, figures.unmarked) == (1, 1, 1, 0)
    report = secretary.get(reverse("attendance:chair_report", args=[meeting.pk])).content.decode()
    assert "tổng có mặt 1" in report and "vắng 1" in report
    assert "Lê Thị Hoa, Chuyên viên" in report and "Ốm" in report


def test_an_attendee_of_another_invitation_is_refused(
    client_for, role_users, meeting, invitation, named
):
    other = Invitation.objects.create(meeting=meeting, unit=role_users["outsider"].unit)
    response = _mark(client_for("secretary"), meeting, other, named[0], status="present")
    assert response.status_code == 404
    assert not Presence.objects.exists()


def test_absent_asks_for_the_reason_before_saving(client_for, meeting, invitation, named):
    director = named[0]
    secretary = client_for("secretary")
    roll = secretary.get(reverse("attendance:rollcall", args=[meeting.pk])).content.decode()
    # Nobody is absent yet: the reason and the substitute's fields wait, hidden.
    assert f'id="extra-r-{invitation.pk}-{director.pk}" hidden' in roll
    assert f'id="extra-s-{invitation.pk}-{director.pk}" hidden' in roll
    asked = _mark(secretary, meeting, invitation, director, status="absent", reason="")
    html = asked.content.decode()
    # Swapped in by htmx (a 4xx would not be): the row keeps "absent" chosen and asks.
    assert asked.status_code == 200
    assert f'id="extra-r-{invitation.pk}-{director.pk}">' in html
    assert f'id="extra-s-{invitation.pk}-{director.pk}" hidden' in html
    assert "Nhập lý do vắng mặt để lưu" in html
    assert 'value="absent" ' in html and "checked" in html.split('value="absent"')[1][:80]
    assert not Presence.objects.exists()
    saved = _mark(secretary, meeting, invitation, director, status="absent", reason="Đi công tác")
    assert "Đã lưu" in saved.content.decode()
    assert Presence.objects.get(attendee=director).reason == "Đi công tác"


def test_substitute_asks_for_the_name_and_position_before_saving(
    client_for, meeting, invitation, named
):
    director = named[0]
    secretary = client_for("secretary")
    asked = _mark(secretary, meeting, invitation, director, status="substitute")
    html = asked.content.decode()
    assert asked.status_code == 200
    assert f'id="extra-s-{invitation.pk}-{director.pk}">' in html
    assert "Nhập họ tên và chức vụ người dự thay để lưu" in html
    assert not Presence.objects.exists()
    _mark(
        secretary,
        meeting,
        invitation,
        director,
        status="substitute",
        substitute_name="Phạm Văn Thay",
        substitute_position="Phó Giám đốc",
    )
    presence = Presence.objects.get(attendee=director)
    assert (presence.status, presence.substitute_name) == ("substitute", "Phạm Văn Thay")


def test_without_javascript_an_absence_without_reason_comes_back_with_a_message(
    client_for, meeting, invitation, named
):
    response = _mark(
        client_for("secretary"), meeting, invitation, named[0], htmx=False, status="absent"
    )
    assert response.status_code == 302
    assert not Presence.objects.exists()


def test_a_unit_that_named_nobody_is_one_row(client_for, meeting, invitation):
    secretary = client_for("secretary")
    roll = secretary.get(reverse("attendance:rollcall", args=[meeting.pk])).content.decode()
    assert f'id="roll-{invitation.pk}"' in roll
    _mark(secretary, meeting, invitation, status="present")
    presence = Presence.objects.get()
    assert (presence.invitation, presence.attendee, presence.status) == (
        invitation,
        None,
        "present",
    )


def test_figures_count_people(client_for, role_users, meeting, invitation, named, department):
    director, specialist = named
    person = PersonFactory(unit=department, full_name="Cá Nhân Được Mời")
    invited_person = Invitation.objects.create(meeting=meeting, person=person)
    secretary = role_users["secretary"]
    presence_mark(invitation=invitation, attendee=director, by=secretary, status="present")
    presence_mark(invitation=invitation, attendee=specialist, by=secretary, status="online")
    presence_mark(invitation=invited_person, by=secretary, status="absent", reason="Ốm")
    figures = figures_for(list(invitations_with_attendance(meeting)))
    assert (figures.invited, figures.present, figures.online, figures.absent) == (2, 1, 1, 1)
    assert (figures.attended, figures.unmarked) == (2, 0)
    by_unit = client_for("clerk").get(
        reverse("attendance:unit_figures"),
        {"tu": _day(meeting).strftime("%d/%m/%Y"), "den": _day(meeting).strftime("%d/%m/%Y")},
    )
    (row,) = by_unit.context["rows"]
    assert (row.figures.present, row.figures.online, row.figures.attended) == (1, 1, 2)
    # The reports count the unit's meetings attended: one meeting, however many of its people.
    assert count_meetings(_day(meeting), _day(meeting))[department.pk]["present"] == 1


def test_a_unit_with_one_person_present_may_vote_and_speak(role_users, meeting, invitation, named):
    from room.selectors import floor_invitations
    from voting.models import Vote
    from voting.services import is_eligible, present_count

    director, specialist = named
    secretary = role_users["secretary"]
    presence_mark(
        invitation=invitation, attendee=director, by=secretary, status="absent", reason="Ốm"
    )
    presence_mark(invitation=invitation, attendee=specialist, by=secretary, status="present")
    loaded = invitations_with_attendance(meeting).get(pk=invitation.pk)
    assert is_eligible(Vote(electorate="present"), loaded)
    assert present_count(meeting) == 1
    assert floor_invitations(role_users["unit_leader"], meeting) == [invitation]
    presence_mark(
        invitation=invitation, attendee=specialist, by=secretary, status="absent", reason="Ốm"
    )
    loaded = invitations_with_attendance(meeting).get(pk=invitation.pk)
    assert not is_eligible(Vote(electorate="present"), loaded)
    assert present_count(meeting) == 0
    assert floor_invitations(role_users["unit_leader"], meeting) == []


def test_naming_again_keeps_the_marks_of_those_still_named(role_users, meeting, invitation):
    from meetings.models import Meeting

    leader, secretary = role_users["unit_leader"], role_users["secretary"]
    reply_set(
        invitation=invitation,
        by=leader,
        declined=False,
        attendees=[NamedAttendee("Trần Văn Minh", "Giám đốc"), NamedAttendee("Lê Thị Hoa")],
    )
    director = Attendee.objects.get(full_name="Trần Văn Minh")
    presence_mark(invitation=invitation, attendee=director, by=secretary, status="present")
    assert Meeting.objects.get(pk=meeting.pk).start_at > timezone.now()
    reply_set(
        invitation=invitation,
        by=leader,
        declined=False,
        attendees=[NamedAttendee("Trần Văn Minh", "Giám đốc"), NamedAttendee("Ngô Văn Ba")],
    )
    assert sorted(Attendee.objects.values_list("full_name", flat=True)) == [
        "Ngô Văn Ba",
        "Trần Văn Minh",
    ]
    assert Presence.objects.get().attendee.full_name == "Trần Văn Minh"


def test_a_units_mark_taken_before_it_named_people_applies_to_each(role_users, meeting, invitation):
    secretary = role_users["secretary"]
    presence_mark(invitation=invitation, by=secretary, status="present")
    reply_set(
        invitation=invitation,
        by=role_users["unit_leader"],
        declined=False,
        attendees=[NamedAttendee("Trần Văn Minh"), NamedAttendee("Lê Thị Hoa")],
    )
    marks = sorted(
        (p.attendee.full_name, p.status) for p in Presence.objects.select_related("attendee")
    )
    assert marks == [("Lê Thị Hoa", "present"), ("Trần Văn Minh", "present")]


def test_the_data_migration_gives_each_named_person_their_units_mark(
    role_users, meeting, invitation, named, department
):
    """Marks taken per unit before the roll was per person: each named person gets a copy of the
    unit's mark, which stays as it was taken; a unit that named nobody keeps its one mark."""
    secretary = role_users["secretary"]
    alone = Invitation.objects.create(meeting=meeting, unit=role_users["outsider"].unit)
    Presence.objects.create(
        invitation=invitation,
        status="substitute",
        substitute_name="Phạm Văn Thay",
        substitute_position="PGĐ",
        reason="Công tác",
        marked_by=secretary,
    )
    Presence.objects.create(invitation=alone, status="present", marked_by=secretary)
    module = importlib.import_module("attendance.migrations.0004_presence_per_attendee_data")
    state = MigrationExecutor(connection).loader.project_state(
        ("attendance", "0004_presence_per_attendee_data")
    )
    module.unit_marks_to_attendees(state.apps, None)
    rows = sorted(
        (
            (p.invitation_id, p.attendee_id, p.status, p.substitute_name, p.marked_by_id)
            for p in Presence.objects.all()
        ),
        key=lambda row: (row[0], row[1] or 0),
    )
    assert rows == sorted(
        [
            (invitation.pk, None, "substitute", "Phạm Văn Thay", secretary.pk),
            (invitation.pk, named[0].pk, "substitute", "Phạm Văn Thay", secretary.pk),
            (invitation.pk, named[1].pk, "substitute", "Phạm Văn Thay", secretary.pk),
            (alone.pk, None, "present", "", secretary.pk),
        ],
        key=lambda row: (row[0], row[1] or 0),
    )
    module.unit_marks_to_attendees(state.apps, None)
    assert Presence.objects.count() == 4, "running it twice changes nothing"
