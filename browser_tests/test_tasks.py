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
