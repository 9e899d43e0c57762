"""The calendar clicked through: a member finds a meeting it is invited to in its week (on a desktop
and on a phone) and its month; its personal feed address answers valid iCalendar until a new
address is made, then 404."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Committee, User
from browser_tests.conftest import NARROW_PHONE, SMALL_SCREEN, path_of, sign_in, visit
from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.browser

TITLE = "Họp thẩm định dự án đường tỉnh 782"


def local_path(url: str) -> str:
    """The path of an absolute address built from settings.SITE_URL, to ask the live server."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_week_month_and_feed_address(live_server, demo, new_context) -> None:
    clerk = User.objects.get(username="vanthu")
    start = (timezone.localtime() + timedelta(days=8)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    meeting = publish(
        make_meeting(
            by=clerk,
            committees=[Committee.objects.get(code="BCD-CDS")],
            title=TITLE,
            start_at=start,
            end_at=start + timedelta(hours=2),
        ),
        clerk,
    )
    day = start.strftime("%d/%m/%Y")
    page = new_context().new_page()
    sign_in(page, live_server, "thanhvien")  # the member, invited through the steering committee

    # ---- the week: from the menu, then "next week" until the meeting's day ------------------
    page.locator("#nav-group-meetings").get_by_role("button", name="Cuộc họp").click()
    page.get_by_role("link", name="Lịch tuần").click()
    page.wait_for_url("**/lich/tuan/")
    for _ in range(2):  # 8 days ahead is next week or the one after
        with page.expect_navigation():
            page.get_by_role("link", name="Tuần sau").click()
        if page.locator("table.cal-week th", has_text=day).count():
            break
    row = page.locator("table.cal-week tr", has_text=day)
    assert TITLE in row.inner_text() and "14:00–16:00" in row.inner_text()
    visit(page, "calendar-week")

    # On a phone the day's date sits above its meetings, the whole width of the screen.
    page.set_viewport_size(NARROW_PHONE["viewport"])
    heading = page.locator("table.cal-week th", has_text=day).bounding_box()
    cell = row.locator("td").bounding_box()
    assert heading and cell and heading["y"] < cell["y"] and cell["width"] > 300
    visit(page, "calendar-week-phone")
    page.set_viewport_size(SMALL_SCREEN["viewport"])

    # ---- the month ----------------------------------------------------------------------
    page.goto(live_server.url + f"/lich/thang/?thang={start:%m/%Y}")
    assert page.locator("table.cal-month td", has_text=TITLE).count() == 1
    visit(page, "calendar-month")
    with page.expect_navigation():
        page.get_by_role("link", name=TITLE).click()
    assert path_of(page) == f"/cuoc-hop/{meeting.pk}/"

    # ---- the feed address ---------------------------------------------------------------
    page.goto(live_server.url + "/lich/tuan/")
    page.get_by_role("link", name="Đồng bộ với lịch của bạn").click()
    page.wait_for_url("**/lich/dong-bo/")
    visit(page, "calendar-feed-settings")
    old = page.get_by_label("Đường dẫn lịch cá nhân").input_value()
    assert old.startswith("http") and "/lich/ical/" in old and old.endswith(".ics")
    response = page.request.get(live_server.url + local_path(old))
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.body())
    assert TITLE in [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]  # with the demo's

    with page.expect_navigation():
        page.get_by_role("button", name="Tạo đường dẫn mới").click()
    assert "Đã tạo đường dẫn mới" in page.locator("main").inner_text()
    new = page.get_by_label("Đường dẫn lịch cá nhân").input_value()
    assert new != old
    assert page.request.get(live_server.url + local_path(old)).status == 404
    assert page.request.get(live_server.url + local_path(new)).status == 200
