"""The meeting form's date-and-time picker on a browser set to American English: the calendar
shows, the box holds dd/mm/yyyy HH:mm (not the browser's month-first format) and the meeting is
saved at the moment chosen; agenda rows are added with the button and saved in order."""

import re
from datetime import datetime

import pytest
from django.utils import timezone

from browser_tests.conftest import (
    DEMO_PASSWORD,
    LOGIN_PATH,
    app_code,
    path_of,
    shot,
    sign_in,
    visit,
)
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


# The header of the calendar as it is read in Vietnamese: the month's name and the year beside it,
# both whole, for the longest month's name ("Tháng mười hai") as for the shortest.
HEADER = """cal => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const header = cal.querySelector('.flatpickr-current-month');
  const month = header.querySelector('.flatpickr-monthDropdown-months');
  const year = header.querySelector('input.cur-year');
  const visible = e => { const r = e.getBoundingClientRect();
      if (!r.width || !r.height) return false;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return !!hit && (hit === e || e.contains(hit)); };
  return {
    header: box(header), month: box(month), year: box(year),
    monthText: month.options[month.selectedIndex].text,
    monthFits: month.scrollWidth <= month.clientWidth + 1,
    yearValue: year.value, yearVisible: visible(year), monthVisible: visible(month),
    yearWidth: year.getBoundingClientRect().width,
    yearTextWidth: (() => { const c = document.createElement('canvas').getContext('2d');
        c.font = getComputedStyle(year).font; return c.measureText(year.value).width; })(),
  };
}"""


def _inside(inner: dict, outer: dict) -> bool:
    return (
        inner["left"] >= outer["left"] - 1
        and inner["right"] <= outer["right"] + 1
        and inner["top"] >= outer["top"] - 1
        and inner["bottom"] <= outer["bottom"] + 1
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_the_calendar_header_shows_month_and_year_in_vietnamese(
    live_server, demo, new_context, width
) -> None:
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    sign_in(page, live_server, "vanthu")
    page.goto(live_server.url + "/cuoc-hop/tao-moi/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.locator("#id_start_at").click()
    calendar = page.locator(".flatpickr-calendar.open")
    calendar.wait_for()
    # From this month to December and on to January: every month's name, the longest included.
    seen = set()
    for _step in range(13):
        header = calendar.evaluate(HEADER)
        seen.add(header["monthText"])
        label = f"{header['monthText']} {header['yearValue']} at {width} px: {header}"
        assert header["monthText"].startswith("Tháng"), label
        assert re.fullmatch(r"\d{4}", header["yearValue"]), label
        assert header["monthVisible"] and header["monthFits"], label
        assert header["yearVisible"], f"the year is hidden: {label}"
        assert header["yearWidth"] >= header["yearTextWidth"], f"the year is cut: {label}"
        assert _inside(header["year"], header["header"]), f"the year spills out: {label}"
        assert header["month"]["right"] <= header["year"]["left"] + 1, label
        if header["monthText"] == "Tháng mười hai":
            shot(page, f"date-picker-vi-december-{width}")
        calendar.locator(".flatpickr-next-month").click()
    assert "Tháng mười hai" in seen
    visit(page, f"date-picker-vi-{width}")
