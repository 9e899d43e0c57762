"""The calendar clicked through: the week view shows an invited unit its meeting; the personal feed
address answers valid iCalendar until a new address is made, then 404."""

import pytest
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Unit, User
from browser_tests.conftest import sign_in, visit
from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.browser

TITLE = "Họp thẩm định dự án đường tỉnh 782"


def test_week_view_and_feed_address(live_server, demo, new_context) -> None:
    clerk = User.objects.get(username="vanthu")
    meeting = publish(
        make_meeting(by=clerk, units=[Unit.objects.get(code="STC")], title=TITLE, days_ahead=8),
        clerk,
    )
    page = new_context().new_page()
    sign_in(page, live_server, "stc")
    page.get_by_role("link", name="Lịch tuần").click()
    page.wait_for_url("**/lich/tuan/")
    page.get_by_role("link", name="Tuần sau").click()
    day = timezone.localtime(meeting.start_at).strftime("%d/%m/%Y")
    if TITLE not in page.locator("main").inner_text():  # 8 days ahead may be two weeks away
        page.goto(live_server.url + f"/lich/tuan/?ngay={day}")
    row = page.locator("table.cal-week tr", has_text=day)
    assert TITLE in row.inner_text()
    visit(page, "calendar-week")

    page.get_by_role("link", name="Đồng bộ với lịch của bạn").click()
    page.wait_for_url("**/lich/dong-bo/")
    visit(page, "calendar-feed-settings")
    old = page.get_by_label("Đường dẫn lịch cá nhân").input_value()
    assert old.startswith("http") and "/lich/ical/" in old
    path = old.split("://", 1)[1].split("/", 1)[1]
    response = page.request.get(f"{live_server.url}/{path}")
    assert response.status == 200
    calendar = Calendar.from_ical(response.body())
    assert TITLE in [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]

    with page.expect_navigation():
        page.get_by_role("button", name="Tạo đường dẫn mới").click()
    new = page.get_by_label("Đường dẫn lịch cá nhân").input_value()
    assert new != old
    assert page.request.get(f"{live_server.url}/{path}").status == 404
    new_path = new.split("://", 1)[1].split("/", 1)[1]
    assert page.request.get(f"{live_server.url}/{new_path}").status == 200
