"""Present online (B9): a mark of its own, counted with the present everywhere; the join button."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from attendance.models import Presence
from attendance.selectors import PRESENT_STATUSES
from meetings.models import Invitation, Meeting
from reports.figures import count_meetings

LINK = "https://hop.example.gov.vn/giao-ban"


@pytest.fixture
def meeting(meetings):
    return meetings["published"]


def _mark(client, meeting, invitation, **data):
    return client.post(
        reverse("attendance:mark", args=[meeting.pk, invitation.pk]),
        data,
        headers={"HX-Request": "true"},
    )


def test_present_statuses():
    assert set(PRESENT_STATUSES) == {"present", "online", "substitute"}


def test_online_is_counted_in_figures_and_reports(client_for, role_users, meeting, department):
    first = meeting.invitations.get()
    second = Invitation.objects.create(meeting=meeting, unit=role_users["outsider"].unit)
    secretary = client_for("secretary")
    roll = secretary.get(reverse("attendance:rollcall", args=[meeting.pk])).content.decode()
    assert 'value="online"' in roll and "Có mặt trực tuyến" in roll
    saved = _mark(secretary, meeting, first, status="online", reason="ignored")
    assert saved.status_code == 200
    assert Presence.objects.get(invitation=first).status == "online"
    assert Presence.objects.get(invitation=first).reason == ""
    _mark(secretary, meeting, second, status="present")
    figures = secretary.get(reverse("attendance:figures", args=[meeting.pk])).context["figures"]
    assert (figures.present, figures.online, figures.attended) == (1, 1, 2)
    day = timezone.localtime(meeting.start_at).date()
    by_unit = client_for("clerk").get(
        reverse("attendance:unit_figures"),
        {"tu": day.strftime("%d/%m/%Y"), "den": day.strftime("%d/%m/%Y")},
    )
    rows = {row.name: row.figures for row in by_unit.context["rows"]}
    assert (rows[department.name].online, rows[department.name].attended) == (1, 1)
    counted = count_meetings(day, day)
    assert counted[department.pk]["present"] == 1
    assert counted[department.pk]["rolled_present"] == 1
    report = secretary.get(reverse("attendance:chair_report", args=[meeting.pk])).content.decode()
    assert "trực tuyến 1" in report and "tổng có mặt 2" in report


def _at(meeting, start):
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=start, end_at=start + timedelta(hours=2), online_link=LINK
    )


@override_settings(ONLINE_JOIN_MINUTES_BEFORE=15)
def test_the_join_button_shows_from_a_little_before_the_start(client_for, meeting):
    leader = client_for("unit_leader")
    url = reverse("meetings:detail", args=[meeting.pk])
    _at(meeting, timezone.now() + timedelta(minutes=30))
    before = leader.get(url).content.decode()
    assert 'id="join-online-soon"' in before and LINK in before
    assert 'id="join-online"' not in before
    _at(meeting, timezone.now() + timedelta(minutes=10))
    soon = leader.get(url).content.decode()
    assert 'id="join-online"' in soon and f'href="{LINK}"' in soon
    _at(meeting, timezone.now() - timedelta(hours=1))
    assert 'id="join-online"' in leader.get(url).content.decode()
    _at(meeting, timezone.now() - timedelta(hours=3))
    after = leader.get(url).content.decode()
    assert "join-online" not in after


def test_the_link_never_shows_on_public_pages(client, client_for, meeting):
    _at(meeting, timezone.now() + timedelta(minutes=5))
    public = client.get(reverse("meetings:public_detail", args=[meeting.pk])).content.decode()
    assert LINK not in public
    assert (
        client_for("outsider").get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    )


def test_no_join_button_for_a_cancelled_meeting(client_for, meeting):
    _at(meeting, timezone.now() + timedelta(minutes=5))
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    page = client_for("unit_leader").get(reverse("meetings:detail", args=[meeting.pk]))
    assert "join-online" not in page.content.decode()
