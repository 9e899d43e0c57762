"""The room's screen on the hall's projector (B10): a request to speak made from a phone and the
floor given on the secretary's control page appear on the screen by its own polling, at
1920x1080 and at 1280x720."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit, User
from attendance.models import Presence
from attendance.services import presence_mark
from browser_tests.conftest import (
    PHONE,
    ROOM_SCREEN,
    SMALL_SCREEN,
    TABLET,
    sign_in,
    size_name,
    visit,
)
from meetings import services
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import make_meeting

pytestmark = pytest.mark.browser

SCREENS = [ROOM_SCREEN, SMALL_SCREEN]


def _meeting() -> Meeting:
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(hours=1)
    meeting = make_meeting(
        by=clerk,
        title="Họp rà soát giải ngân vốn đầu tư công quý III năm 2025",
        start_at=start,
        end_at=start + timedelta(hours=2),
        secretary=User.objects.get(username="thuky"),
        location=clerk.unit.locations.first(),
        units=[Unit.objects.get(code="STC")],
    )
    meeting = services.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    AgendaItem.objects.filter(meeting=meeting).delete()
    AgendaItem.objects.create(
        meeting=meeting, position=1, title="Báo cáo tình hình giải ngân vốn đầu tư công"
    )
    AgendaItem.objects.create(meeting=meeting, position=2, title="Kế hoạch quý IV")
    presence_mark(
        invitation=meeting.invitations.get(),
        by=User.objects.get(username="thuky"),
        status=Presence.Status.PRESENT,
    )
    return meeting


def test_the_screen_follows_the_room(live_server, demo, new_context) -> None:
    meeting = _meeting()
    base = f"{live_server.url}/cuoc-hop/{meeting.pk}"

    secretary = new_context(viewport=TABLET["viewport"]).new_page()
    sign_in(secretary, live_server, "thuky")
    secretary.goto(base + "/dieu-hanh/")
    secretary.get_by_role("button", name="Chuyển sang nội dung này").first.click()
    expect(secretary.get_by_text("Đang thảo luận")).to_be_visible()

    screens = []
    for size in SCREENS:
        screen = new_context(**size).new_page()
        sign_in(screen, live_server, "thuky")
        screen.goto(base + "/man-hinh/")
        expect(screen.locator(".screen-item-title")).to_contain_text("Báo cáo tình hình")
        screens.append(screen)

    phone = new_context(**PHONE).new_page()
    sign_in(phone, live_server, "stc")
    phone.goto(base + "/")
    phone.get_by_role("link", name="Đăng ký phát biểu").click()
    phone.get_by_role("button", name="Đăng ký phát biểu").click()
    expect(phone.get_by_role("button", name="Rút đăng ký")).to_be_visible()
    visit(phone, "room-speak-phone")

    # The request reaches the secretary's queue and the screens by polling.
    secretary.get_by_role("button", name="Mời phát biểu").click(timeout=5000)
    expect(secretary.locator("[data-room-timer]")).to_be_visible()
    visit(secretary, "room-control-tablet")
    for screen, size in zip(screens, SCREENS, strict=True):
        expect(screen.locator(".screen-speaker-name")).not_to_be_empty(timeout=3000)
        expect(screen.locator("[data-room-timer]")).to_contain_text(":", timeout=3000)
        # Nothing spills out of the projector's frame.
        overflow = screen.evaluate("document.documentElement.scrollHeight > window.innerHeight + 1")
        assert not overflow, size
        visit(screen, f"room-screen-{size_name(size)}")
