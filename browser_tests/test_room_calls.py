"""On a phone (390x844): a unit's account on its dashboard sees a vote open and reaches the
ballot in one tap; on the meeting page it is told when the secretary gives it the floor. Both
arrive by the banner's polling, without a reload."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit, User
from attendance.services import presence_mark
from browser_tests.conftest import PHONE, shot, sign_in, visit
from meetings import services
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import catalog
from room import services as room_services
from voting import services as voting_services
from voting.models import Participation

pytestmark = pytest.mark.browser


def _meeting_under_way() -> Meeting:
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(days=4)
    meeting = services.meeting_create(
        by=clerk,
        data={
            "title": "Họp thông qua kế hoạch đầu tư công năm 2027",
            "start_at": start,
            "end_at": start + timedelta(hours=2),
            "organiser_unit": clerk.unit,
            "secretary": User.objects.get(username="thuky"),
            "location": clerk.unit.locations.first(),
            **catalog(),
        },
        invitees=services.Invitees(units=[Unit.objects.get(code="STC")]),
    )
    services.meeting_publish(meeting=meeting, by=clerk)
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=now - timedelta(minutes=15), end_at=now + timedelta(hours=2)
    )
    meeting.refresh_from_db()
    return meeting


def test_a_vote_and_the_floor_reach_the_phone(live_server, demo, new_context) -> None:
    meeting = _meeting_under_way()
    secretary = User.objects.get(username="thuky")
    unit_account = User.objects.get(username="stc")
    invitation = meeting.invitations.get()
    presence_mark(invitation=invitation, by=secretary, status="present")
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Kế hoạch vốn năm 2027")

    page = new_context(**PHONE).new_page()
    sign_in(page, live_server, "stc")
    page.goto(live_server.url + "/bang-dieu-khien/")
    expect(page.locator("#room-calls")).not_to_contain_text("Biểu quyết ngay")

    vote = voting_services.vote_open(
        meeting=meeting, by=secretary, question="Thông qua kế hoạch vốn năm 2027?"
    )
    banner = page.locator("#room-calls")
    expect(banner).to_contain_text("Biểu quyết ngay", timeout=15000)
    expect(banner).to_contain_text("Thông qua kế hoạch vốn năm 2027?")
    shot(page, "room-calls-dashboard-phone")
    with page.expect_navigation():
        banner.get_by_role("link").first.click()
    assert page.url.endswith(f"/bieu-quyet/{vote.pk}/")
    page.get_by_role("button", name="Đồng ý", exact=True).click()
    expect(page.locator("#vote-ballots")).to_contain_text("Đã ghi nhận phiếu biểu quyết")
    assert Participation.objects.filter(vote=vote, invitation=invitation).exists()
    # Waiting on the page: the result comes by itself when the chair closes the vote.
    outcome = page.locator("#vote-outcome")
    expect(outcome).to_contain_text("Kết quả được công bố khi biểu quyết kết thúc.")
    voting_services.vote_close(vote=vote, by=secretary)
    expect(outcome).to_contain_text("Danh sách biểu quyết theo tên", timeout=15000)
    expect(outcome).to_contain_text("Đồng ý")
    expect(page.locator("#vote-ballots")).to_contain_text("Đã biểu quyết.")
    expect(page.locator("#vote-state")).to_contain_text("Đã kết thúc")
    expect(page.locator("form.vote-ballot")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    visit(page, "vote-result-phone")

    page.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/")
    expect(page.locator("#room-calls")).not_to_contain_text("Biểu quyết ngay")
    speech = room_services.floor_request(
        meeting=meeting,
        item=item,
        by=unit_account,
        invitation=invitation,
        name="Nguyễn Văn Tài",
        speaks_for="Sở Tài chính",
    )
    room_services.floor_give(speech=speech, by=secretary)
    expect(page.locator("#room-calls")).to_contain_text("Mời đồng chí phát biểu", timeout=15000)
    expect(page.locator("#room-calls")).to_contain_text("Kế hoạch vốn năm 2027")
    visit(page, "room-calls-floor-phone")
