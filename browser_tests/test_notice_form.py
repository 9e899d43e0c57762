"""A new conclusion notice, as the office's clerk meets it on a tablet: the meeting page's
"Lập thông báo kết luận" looks like the other actions (not greyed out), and the form it opens
starts from the meeting: today's date, the chair as the one who concluded and as the signer,
the text opening with the meeting's time as offices write it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Person, Unit, User
from browser_tests.conftest import DESKTOP, sign_in, visit
from core.dates import office_time
from meetings import services as meetings
from meetings.tests.factories import catalog
from tasks.models import Notice

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 820, "height": 1180}, "is_mobile": True, "has_touch": True}


def _published_meeting():
    clerk = User.objects.get(username="vanthu")
    chair = Person.objects.get(full_name="Trần Văn Chiến")
    start = (timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    meeting = meetings.meeting_create(
        by=clerk,
        data={
            "title": "Họp điều hành giải ngân vốn đầu tư công quý IV",
            "start_at": start,
            "end_at": start + timedelta(hours=2),
            "organiser_unit": clerk.unit,
            "location": clerk.unit.locations.first(),
            "chair": chair,
            **catalog(),
        },
        invitees=meetings.Invitees(units=[Unit.objects.get(code="STC")]),
    )
    meetings.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    return meeting, start


def test_the_clerk_opens_a_prefilled_notice(demo, live_server, new_context):
    meeting, start = _published_meeting()
    page = new_context(**TABLET).new_page()
    sign_in(page, live_server, "vanthu")
    page.goto(live_server.url + reverse("meetings:detail", args=[meeting.pk]))
    button = page.get_by_role("link", name="Lập thông báo kết luận")
    expect(button).to_be_visible()
    expect(button).to_have_class("btn btn-outline-primary")
    visit(page, "notice-button-tablet")

    button.click()
    expect(page.get_by_label("Kết luận của")).to_have_value("Phó Chủ tịch UBND tỉnh Trần Văn Chiến")
    expect(page.get_by_label("Người ký", exact=True)).to_have_value("Trần Văn Chiến")
    expect(page.get_by_label("Ngày ban hành")).to_have_value(
        timezone.localdate().strftime("%d/%m/%Y")
    )
    body = page.get_by_label("Nội dung kết luận").input_value()
    assert office_time(start) in body
    visit(page, "notice-form-prefilled-tablet")


def test_the_clerk_adds_a_task_row_and_ticks_cooperating_units(demo, live_server, new_context):
    meeting, _start = _published_meeting()
    stc, skhdt = Unit.objects.get(code="STC"), Unit.objects.get(code="SKHDT")
    due = (timezone.localdate() + timedelta(days=10)).strftime("%d/%m/%Y")
    page = new_context(**DESKTOP).new_page()
    sign_in(page, live_server, "vanthu")
    page.goto(live_server.url + reverse("tasks:notice_create", args=[meeting.pk]))
    rows = page.locator("[data-formset-rows] > [data-formset-row]")
    expect(rows).to_have_count(2)
    # With JavaScript the "save, then edit" hint gives way to the button.
    expect(page.get_by_text("Cần thêm nhiệm vụ?")).to_be_hidden()
    page.fill("input[name=tasks-0-title]", "Tham mưu văn bản điều chuyển vốn")
    page.select_option("select[name=tasks-0-unit]", str(stc.pk))
    page.fill("input[name=tasks-0-deadline]", due)

    page.get_by_role("button", name="Thêm nhiệm vụ").click()
    expect(rows).to_have_count(3)
    third = rows.nth(2)
    expect(third.locator("legend").first).to_have_text("Nhiệm vụ 3")
    expect(third.locator("input[name=tasks-2-title]")).to_be_focused()
    assert page.input_value("input[name=tasks-TOTAL_FORMS]") == "3"
    third.locator("input[name=tasks-2-title]").fill("Rà soát dự án chậm giải ngân")
    page.select_option("select[name=tasks-2-unit]", str(skhdt.pk))
    third.locator("input[name=tasks-2-deadline]").fill(due)
    # The cooperating units: typed without diacritics, the list narrows; ticked, it counts.
    third.get_by_label("Tìm đơn vị phối hợp").fill("tai chinh")
    expect(third.locator("[data-checklist-item]:visible")).to_have_count(1)
    third.get_by_label("Sở Tài chính").check()
    expect(third.locator("[data-checklist-count]")).to_have_text("1")
    visit(page, "notice-form-add-task-desktop")

    with page.expect_navigation():
        page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo thông báo kết luận.")).to_be_visible()
    tasks = list(Notice.objects.get(meeting=meeting).tasks.order_by("id"))
    assert [(t.title, t.unit_id) for t in tasks] == [
        ("Tham mưu văn bản điều chuyển vốn", stc.pk),
        ("Rà soát dự án chậm giải ngân", skhdt.pk),
    ]
    assert list(tasks[1].cooperating.all()) == [stc]
