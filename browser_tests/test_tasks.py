"""Conclusion notices and tasks (B12): the Department of Finance's unit account, on a 390 px
phone, opens its task from the dashboard, reports it done with a note and a file; the office's
clerk accepts it and looks at the office's board. Every page keeps its Content-Security-Policy
and passes axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit, User
from browser_tests.conftest import PHONE, output_dir, shot, sign_in, visit
from browser_tests.steps import fits_width
from meetings import services as meetings
from meetings.tests.factories import make_meeting, pdf_bytes
from tasks import services
from tasks.models import Task, TaskFile

pytestmark = pytest.mark.browser

NOTE = "Đã trình UBND tỉnh dự thảo văn bản điều chuyển vốn <script>alert(1)</script>"


def _issued_notice() -> Task:
    clerk = User.objects.get(username="vanthu")
    stc, skhdt = Unit.objects.get(code="STC"), Unit.objects.get(code="SKHDT")
    start = timezone.now() + timedelta(hours=1)
    meeting = make_meeting(
        by=clerk,
        title="Họp điều hành giải ngân vốn đầu tư công quý IV",
        start_at=start,
        end_at=start + timedelta(hours=2),
        location=clerk.unit.locations.first(),
        units=[stc, skhdt],
    )
    meeting = meetings.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    today = timezone.localdate()
    notice = services.notice_create(
        meeting=meeting,
        by=clerk,
        data={
            "number": "215/TB-VP",
            "place": "Tây Ninh",
            "concluded_by": "Phó Chủ tịch UBND tỉnh",
            "body": "Thống nhất điều chuyển 120 tỷ đồng vốn đầu tư công.",
            "signer_name": "Trần Văn B",
            "signer_title": "Chánh Văn phòng",
        },
        tasks=[
            services.TaskData(
                title="Tham mưu văn bản điều chuyển vốn",
                unit=stc,
                cooperating=[skhdt],
                deadline=today + timedelta(days=5),
            ),
            services.TaskData(
                title="Rà soát dự án chậm giải ngân",
                unit=skhdt,
                deadline=today - timedelta(days=1),
            ),
        ],
    )
    services.notice_issue(notice=notice, by=clerk)
    return notice.tasks.get(unit=stc)


def test_a_unit_reports_on_a_phone_and_the_office_accepts(demo, live_server, new_context):
    task = _issued_notice()
    upload = output_dir() / "Báo cáo kết quả.pdf"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(pdf_bytes("bao cao"))

    phone = new_context(**PHONE).new_page()
    sign_in(phone, live_server, "stc")
    expect(phone.get_by_role("heading", name="Nhiệm vụ của đơn vị")).to_be_visible()
    visit(phone, "tasks-dashboard-phone")
    # From the to-do list at the top of the dashboard, to the report form.
    phone.locator("#viec-can-lam").get_by_role(
        "link", name="Tham mưu văn bản điều chuyển vốn"
    ).click()
    phone.wait_for_url(f"**/nhiem-vu/{task.pk}/#report-heading")
    phone.get_by_label("Nội dung báo cáo").fill(NOTE)
    phone.set_input_files("input[name=files]", str(upload))
    phone.get_by_label("Đã hoàn thành nhiệm vụ (đề nghị xác nhận)").check()
    visit(phone, "tasks-phone-form")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(
        phone.get_by_text("Đã báo cáo hoàn thành; chờ văn phòng xác nhận.").first
    ).to_be_visible()
    expect(phone.get_by_role("link", name="Báo cáo kết quả.pdf")).to_be_visible()
    visit(phone, "tasks-phone")
    shot(phone, "tasks-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    task.refresh_from_db()
    assert task.status == Task.Status.REPORTED
    assert TaskFile.objects.get(step__task=task).file_name == "Báo cáo kết quả.pdf"
    assert task.steps.get(kind="reported").note == NOTE

    office = new_context().new_page()
    sign_in(office, live_server, "vanthu")
    office.goto(live_server.url + f"/nhiem-vu/{task.pk}/")
    office.get_by_label("Ý kiến (không bắt buộc)").fill("Đúng tiến độ.")
    with office.expect_navigation():
        office.get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(office.get_by_text("Đã xác nhận nhiệm vụ hoàn thành.")).to_be_visible()
    visit(office, "tasks-accepted")
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and not task.done_late

    office.goto(live_server.url + f"/thong-bao-ket-luan/{task.notice_id}/")
    expect(office.get_by_role("heading", name="Thông báo kết luận số 215/TB-VP")).to_be_visible()
    visit(office, "tasks-notice")
    office.goto(live_server.url + "/nhiem-vu/van-phong/")
    expect(office.get_by_role("heading", name="Nhiệm vụ theo dõi của văn phòng")).to_be_visible()
    overdue = office.locator("[data-category=overdue] .badge")
    expect(overdue).to_have_text("1")
    expect(office.locator("[data-category=on_time] .badge")).to_have_text("1")
    visit(office, "task-board")
    shot(office, "task-board")


LONG_TITLE = (
    "Tham mưu UBND tỉnh ban hành văn bản điều chuyển kế hoạch vốn đầu tư công năm 2026 giữa các "
    "dự án chậm giải ngân và các dự án có khả năng giải ngân nhanh trên địa bàn tỉnh"
)
REASON = "Thiếu biểu tổng hợp số liệu giải ngân quý III của các chủ đầu tư; đề nghị bổ sung."
PAST_CARD_EDGE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('#task-cards, #task-cards *, #task-categories *')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName + '.' + e.className);
}"""


def _units_tasks_in_every_state() -> None:
    """The Department of Finance's tasks: in progress (a long title), returned with a reason,
    reported after its deadline, done; and the one it cooperates on."""
    clerk, stc_account = User.objects.get(username="vanthu"), User.objects.get(username="stc")
    first = _issued_notice()
    today = timezone.localdate()
    notice = first.notice
    stc, skhdt = Unit.objects.get(code="STC"), Unit.objects.get(code="SKHDT")
    made = []
    for title, days in [
        (LONG_TITLE, 3),
        ("Báo cáo tình hình giải ngân quý III", 9),
        ("Rà soát danh mục dự án khởi công mới", -6),
        ("Tổng hợp đề xuất bổ sung vốn", 12),
    ]:
        task = Task.objects.create(
            notice=notice,
            title=title,
            unit=stc,
            deadline=today + timedelta(days=days),
            is_issued=True,
        )
        made.append(task)
    task = Task.objects.create(
        notice=notice,
        title="Phối hợp thẩm định dự án",
        unit=skhdt,
        deadline=today + timedelta(days=6),
        is_issued=True,
    )
    task.cooperating.set([stc])
    returned, late, done = made[1], made[2], made[3]
    services.task_report(task=returned, by=stc_account, note="Xong", done=True)
    services.task_return(task=returned, by=clerk, reason=REASON)
    services.task_report(task=late, by=stc_account, note="Xong", done=True)
    services.task_report(task=done, by=stc_account, note="Xong", done=True)
    services.task_accept(task=done, by=clerk)


def test_the_units_board_on_a_phone_is_cards(demo, live_server, new_context):
    _units_tasks_in_every_state()
    phone = new_context(**PHONE).new_page()
    sign_in(phone, live_server, "stc")
    phone.goto(live_server.url + "/nhiem-vu/")
    expect(phone.get_by_role("heading", name="Nhiệm vụ của đơn vị")).to_be_visible()
    cards = phone.locator("#task-cards [data-task-card]")
    expect(cards).to_have_count(6)
    expect(phone.locator("#table-tasks")).to_be_hidden()
    # Each card opens with its state and its deadline, side by side, above the task's title.
    for index in range(6):
        card = cards.nth(index)
        badge, deadline = card.locator("[data-state]"), card.get_by_text("Hạn ", exact=False)
        expect(badge).to_be_visible()
        title = card.get_by_role("link")
        assert badge.bounding_box()["y"] < title.bounding_box()["y"]
        assert deadline.first.bounding_box()["y"] < title.bounding_box()["y"]
    returned = cards.filter(has_text="Báo cáo tình hình giải ngân quý III")
    expect(returned.locator("[data-state]")).to_have_text("Bị trả lại")
    expect(returned).to_contain_text(REASON)
    late = cards.filter(has_text="Rà soát danh mục dự án khởi công mới")
    expect(late.locator("[data-state]")).to_have_text("Chờ xác nhận")
    expect(cards.filter(has_text="Phối hợp thẩm định dự án")).to_contain_text("Phối hợp")
    expect(phone.locator("[data-category=returned] .badge")).to_have_text("1")
    expect(phone.locator("[data-category=reported] .badge")).to_have_text("1")
    visit(phone, "tasks-unit-board-phone")
    fits_width(phone, "tasks-unit-board-phone")
    assert phone.evaluate(PAST_CARD_EDGE) == []
    # The returned task's own page says so too, with the reason.
    returned.get_by_role("link").click()
    expect(phone.locator("#task-status")).to_have_text("Bị trả lại")
    expect(phone.locator("#task-returned")).to_contain_text(REASON)
    visit(phone, "tasks-returned-phone")
    fits_width(phone, "tasks-returned-phone")
