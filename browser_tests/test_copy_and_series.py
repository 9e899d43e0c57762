"""A clerk on a 1280x800 screen copies a meeting to next week, then makes the weekly briefing a
series of four, and finds every one of them on the meeting list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Unit, User
from browser_tests.conftest import DESKTOP, path_of, sign_in, visit
from meetings.models import Meeting
from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.browser

TITLE = "Giao ban tuần Văn phòng thử nghiệm"


def test_clerk_copies_and_repeats_a_meeting(live_server, demo, new_context) -> None:
    clerk_user = User.objects.get(username="vanthu")
    meeting = make_meeting(
        by=clerk_user,
        title=TITLE,
        days_ahead=5,
        units=list(Unit.objects.filter(is_active=True).exclude(pk=clerk_user.unit_id)[:2]),
    )
    publish(meeting, clerk_user)
    clerk = new_context(**DESKTOP).new_page()
    sign_in(clerk, live_server, "vanthu")

    # ---- Sao chép: next week, a new title, then its edit page ---------------------------------
    clerk.goto(live_server.url + f"/cuoc-hop/{meeting.pk}/")
    # Among the "Thêm" actions of the phase before the meeting.
    clerk.locator('[data-phase="before"] details.actions-more summary').click()
    clerk.get_by_role("link", name="Sao chép").click()
    clerk.wait_for_url("**/sao-chep/")
    week_later = timezone.localtime(meeting.start_at + timedelta(days=7))
    assert clerk.get_by_label("Bắt đầu").input_value() == week_later.strftime("%d/%m/%Y %H:%M")
    clerk.get_by_label("Tên cuộc họp").fill(TITLE + " (bản sao)")
    visit(clerk, "meeting-copy")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Tạo bản sao").click()
    copy = Meeting.objects.get(title=TITLE + " (bản sao)")
    assert path_of(clerk) == f"/cuoc-hop/{copy.pk}/sua/"
    assert copy.is_draft and copy.invitations.count() == 2
    visit(clerk, "meeting-copy-edit")

    # ---- Lặp lại: weekly on the meeting's own weekday, four meetings -------------------------
    clerk.goto(live_server.url + f"/cuoc-hop/{meeting.pk}/")
    # Among the "Thêm" actions of the phase before the meeting.
    clerk.locator('[data-phase="before"] details.actions-more summary').click()
    clerk.get_by_role("link", name="Lặp lại").click()
    clerk.wait_for_url("**/lap-lai/")
    clerk.get_by_label("Hằng tuần").check()
    weekday = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"][
        timezone.localtime(meeting.start_at).weekday()
    ]
    assert clerk.get_by_label(weekday, exact=True).is_checked()
    clerk.get_by_label("Sau số cuộc họp").check()
    clerk.get_by_label("Số cuộc họp (kể cả cuộc họp này)").fill("4")
    visit(clerk, "meeting-repeat")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Tạo chuỗi cuộc họp").click()
    assert path_of(clerk) == f"/cuoc-hop/{meeting.pk}/"
    series = clerk.locator(".meeting-series")
    assert "Thuộc chuỗi: hằng tuần vào " + weekday in series.inner_text()
    assert series.locator("li").count() == 4
    visit(clerk, "meeting-detail-series")

    # ---- a new room from the second meeting on: "this and the following" ----------------------
    series = list(Meeting.objects.filter(series_id=meeting_series(meeting)).order_by("start_at"))
    clerk.goto(live_server.url + f"/cuoc-hop/{series[1].pk}/sua/")
    room = clerk.get_by_label("Phòng họp")
    values = room.locator("option").evaluate_all("options => options.map(o => o.value)")
    chosen = next(int(v) for v in values if v and int(v) != series[1].location_id)
    room.select_option(str(chosen))
    clerk.get_by_label("Cuộc họp này và các cuộc họp sau").check()
    visit(clerk, "meeting-edit-series")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Lưu thay đổi").click()
    rooms = [Meeting.objects.get(pk=m.pk).location_id for m in series]
    assert rooms[1:] == [chosen] * 3 and rooms[0] != chosen

    # ---- the list shows the four meetings of the series and the copy --------------------------
    clerk.goto(live_server.url + "/cuoc-hop/?q=" + "Giao ban tuần Văn phòng thử nghiệm")
    visit(clerk, "meeting-list-series")
    listed = clerk.locator("main").inner_text()
    assert listed.count(TITLE) == 5
    assert Meeting.objects.filter(series_id=meeting_series(meeting)).count() == 4


def meeting_series(meeting: Meeting) -> int | None:
    return Meeting.objects.values_list("series_id", flat=True).get(pk=meeting.pk)
