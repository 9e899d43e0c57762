"""Notifications clicked through: the clerk publishes; the invited unit's bell counts one more, its
inbox shows the invitation, opening it leads to the meeting and clears the count; the e-mail went
out through the queue."""

import pytest
from django.core import mail

from accounts.models import Unit, User
from browser_tests.conftest import sign_in, visit
from meetings.tests.factories import make_meeting

pytestmark = pytest.mark.browser

TITLE = "Họp triển khai kế hoạch chuyển đổi số năm 2027"


def bell_count(page) -> int:
    badge = page.locator("#inbox-bell [data-unread]")
    return int(badge.get_attribute("data-unread")) if badge.count() else 0


def test_publishing_rings_the_bell_and_fills_the_inbox(live_server, demo, new_context) -> None:
    clerk_user = User.objects.get(username="vanthu")
    stc = Unit.objects.get(code="STC")
    meeting = make_meeting(by=clerk_user, units=[stc], title=TITLE, days_ahead=9)

    unit = new_context().new_page()
    sign_in(unit, live_server, "stc")
    before = bell_count(unit)

    clerk = new_context().new_page()
    sign_in(clerk, live_server, "vanthu")
    clerk.goto(live_server.url + f"/cuoc-hop/{meeting.pk}/phat-hanh/")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Phát hành").click()
    assert "Đã phát hành" in clerk.locator(".messages").inner_text()

    unit.reload()
    assert bell_count(unit) == before + 1
    unit.locator("#inbox-bell").click()
    unit.wait_for_url("**/thong-bao/")
    entry = unit.locator(".list-group-item", has_text=TITLE).first
    assert "Giấy mời họp" in entry.inner_text() and "Mới" in entry.inner_text()
    visit(unit, "notifications-inbox")
    with unit.expect_navigation():
        entry.get_by_role("button").click()
    assert unit.url.endswith(f"/cuoc-hop/{meeting.pk}/")
    assert bell_count(unit) == before

    # The queue ran the delivery on commit: the unit's accounts got the invitation by e-mail.
    invitations = [m for m in mail.outbox if TITLE in m.subject]
    stc_addresses = set(
        User.objects.filter(unit=stc).exclude(email="").values_list("email", flat=True)
    )
    assert stc_addresses and stc_addresses <= {
        a for m in invitations for a in m.to for a in [a.split("<")[-1].rstrip(">")]
    }
    assert all(m.subject.startswith("Giấy mời họp:") for m in invitations)
