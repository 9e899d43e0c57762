"""Approved export (D1), clicked through on a phone-sized screen: the clerk asks for the archive
of a month, the admin approves it, the clerk downloads a ZIP whose index names every meeting."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from browser_tests.conftest import PHONE, path_of, sign_in, visit
from exports.models import ExportRequest

pytestmark = pytest.mark.browser

PURPOSE = "Nộp lưu hồ sơ họp <script>alert(1)</script> về Lưu trữ lịch sử tỉnh."


def test_clerk_requests_admin_approves_clerk_downloads(
    live_server, demo, new_context, tmp_path: Path
) -> None:
    dialogs: list[str] = []
    today = timezone.localdate()

    # ---- the clerk asks, on a phone; a reversed range is refused first ----------------------
    clerk = new_context(**PHONE).new_page()
    clerk.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(clerk, live_server, "vanthu")
    clerk.goto(f"{live_server.url}/ket-xuat/")
    assert clerk.get_by_text("Bạn chưa gửi đề nghị kết xuất nào.").is_visible()
    visit(clerk, "exports-list-empty")
    clerk.get_by_role("link", name="Đề nghị kết xuất").click()
    clerk.wait_for_url("**/ket-xuat/de-nghi/")
    clerk.get_by_label("Từ ngày").fill(f"{today + timedelta(days=30):%d/%m/%Y}")
    clerk.get_by_label("Đến ngày").fill(f"{today - timedelta(days=30):%d/%m/%Y}")
    clerk.get_by_label("Mục đích kết xuất").fill(PURPOSE)
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Gửi đề nghị").click()
    assert "phải bằng hoặc sau" in clerk.locator("main form").inner_text()
    visit(clerk, "exports-form-error")
    clerk.get_by_label("Từ ngày").fill(f"{today - timedelta(days=30):%d/%m/%Y}")
    clerk.get_by_label("Đến ngày").fill(f"{today + timedelta(days=30):%d/%m/%Y}")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Gửi đề nghị").click()
    export = ExportRequest.objects.get()
    assert path_of(clerk) == f"/ket-xuat/{export.pk}/"
    assert PURPOSE in clerk.locator("main").inner_text()
    assert clerk.get_by_text("Đề nghị đang chờ lãnh đạo phê duyệt.").is_visible()
    assert clerk.get_by_role("button", name="Phê duyệt").count() == 0
    visit(clerk, "exports-detail-pending")

    # ---- the admin approves ---------------------------------------------------------------
    admin = new_context().new_page()
    sign_in(admin, live_server, "quantri")
    admin.goto(f"{live_server.url}/ket-xuat/")
    assert admin.get_by_role("heading", name="Chờ tôi phê duyệt").is_visible()
    visit(admin, "exports-list-to-decide")
    admin.get_by_role("link", name=f"Đề nghị số {export.pk}", exact=False).click()
    admin.wait_for_url(f"**/ket-xuat/{export.pk}/")
    visit(admin, "exports-detail-approver")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Phê duyệt").click()
    assert "Đã phê duyệt" in admin.locator(".messages").inner_text()
    assert admin.get_by_role("link", name="Tải tệp nén").count() == 0
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.APPROVED
    assert export.meetings.count() >= 1

    # ---- the clerk downloads --------------------------------------------------------------
    clerk.reload()
    visit(clerk, "exports-detail-approved")
    with clerk.expect_download() as info:
        clerk.get_by_role("link", name="Tải tệp nén").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
    index = load_workbook(io.BytesIO(archive.read("muc-luc.xlsx")))
    titles = {row[1] for row in index["Cuộc họp"].iter_rows(min_row=2, values_only=True)}
    assert titles == {meeting.title for meeting in export.meetings.all()}
    export.refresh_from_db()
    assert export.download_count == 1
    assert dialogs == [], "no script from the purpose ran"
