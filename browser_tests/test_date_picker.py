"""The meeting form's date-and-time picker on a browser set to American English: the calendar
shows, the box holds dd/mm/yyyy HH:mm (not the browser's month-first format) and the meeting is
saved at the moment chosen; agenda rows are added with the button and saved in order."""

import re
from datetime import datetime

import pytest
from django.utils import timezone

from browser_tests.conftest import DEMO_PASSWORD, LOGIN_PATH, app_code, path_of, shot
from meetings.models import AgendaItem, Meeting

pytestmark = pytest.mark.browser

TITLE = "Họp thử chọn ngày giờ"


def test_the_picker_gives_day_month_year(live_server, demo, new_context) -> None:
    page = new_context(locale="en-US").new_page()
    # Signed in by the form's fields: the page may be in English for this browser.
    page.goto(live_server.url + LOGIN_PATH)
    page.fill("input[name=username]", "vanthu")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    if page.locator("input[name=code]").count():
        page.fill("input[name=code]", app_code("vanthu"))
        with page.expect_navigation():
            page.locator("form button[type=submit]").first.click()
    page.goto(live_server.url + "/cuoc-hop/tao-moi/")
    page.locator("#id_title").fill(TITLE)

    start = page.locator("#id_start_at")
    assert start.get_attribute("type") == "text"
    start.click()
    calendar = page.locator(".flatpickr-calendar.open")
    calendar.wait_for()
    calendar.locator(".flatpickr-next-month").click()
    calendar.locator(
        ".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text=re.compile(r"^15$")
    ).click()
    calendar.locator("input.flatpickr-hour").fill("14")
    calendar.locator("input.flatpickr-minute").fill("30")
    calendar.locator("input.flatpickr-minute").press("Enter")
    shot(page, "date-picker-en-us")
    page.keyboard.press("Escape")
    chosen = start.input_value()
    assert re.fullmatch(r"15/\d\d/\d{4} 14:30", chosen), chosen
    # The end typed by hand, as without JavaScript.
    page.locator("#id_end_at").fill(chosen.replace("14:30", "16:00"))
    page.locator("#id_end_at").press("Tab")

    page.locator("#id_agenda-0-title").fill("Báo cáo tình hình")
    page.locator("#id_agenda-1-title").fill("Thảo luận")
    page.locator("[data-agenda-add]").click()
    page.locator("#id_agenda-3-title").fill("Kết luận")
    page.locator("#id_type").select_option(index=1)
    page.locator("#id_form").select_option(index=1)
    page.locator("#id_location").select_option(index=1)
    with page.expect_navigation():
        page.locator("form.meeting-form button[type=submit]").click()
    assert re.fullmatch(r"/cuoc-hop/\d+/", path_of(page)), page.content()[:2000]

    meeting = Meeting.objects.get(title=TITLE)
    expected = timezone.make_aware(datetime.strptime(chosen, "%d/%m/%Y %H:%M"))
    assert meeting.start_at == expected
    assert timezone.localtime(meeting.end_at).strftime("%H:%M") == "16:00"
    titles = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert titles == ["Báo cáo tình hình", "Thảo luận", "Kết luận"]
    shot(page, "meeting-with-agenda-items")
