"""Statistics, the usage report and the login log, clicked through: the clerk reads the charts and
the tables beside them, narrows to one unit, downloads the usage report as Excel and PDF and opens
the A4 print; a unit's account on a phone sees its own unit only; the admin reads the login log."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Unit
from browser_tests.conftest import LAPTOP_SCREEN, PHONE, path_of, sign_in, visit

pytestmark = pytest.mark.browser

CHARTS = ["month", "organiser", "field", "type", "form", "compliance", "notice"]


def test_clerk_reads_statistics_and_downloads_the_usage_report(
    live_server, demo, new_context, tmp_path: Path
) -> None:
    page = new_context(viewport=LAPTOP_SCREEN["viewport"]).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "vanthu")
    page.locator("#nav-group-reports").get_by_role("button", name="Thống kê, báo cáo").click()
    page.get_by_role("navigation").get_by_role("link", name="Thống kê", exact=True).click()
    page.wait_for_url("**/thong-ke/")
    assert page.get_by_role("heading", name="Thống kê cuộc họp").is_visible()
    for key in CHARTS:
        page.wait_for_selector(f'canvas[data-chart="chart-data-{key}"][data-drawn="1"]')
        assert page.locator(f"#table-{key}").is_visible()
    assert errors == []
    visit(page, "reports-statistics")

    # Narrowing to one unit keeps the filter in the address and shows that unit's row only.
    page.get_by_label("Đơn vị", exact=True).select_option(label="Sở Tài chính")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    stc = Unit.objects.get(name="Sở Tài chính")
    assert f"don_vi={stc.pk}" in page.url
    units = page.locator("#table-compliance tbody th").all_inner_texts()
    assert units == ["Sở Tài chính"]

    # ---- the usage report: Excel, PDF, A4 print ------------------------------------------------
    page.get_by_role("link", name="Báo cáo sử dụng").click()
    page.wait_for_url("**/thong-ke/bao-cao-su-dung/")
    page.get_by_label("Kỳ báo cáo").select_option(label="Cả năm")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    summary = page.locator("#table-summary").inner_text()
    assert "Số cuộc họp" in summary and "Đơn vị chưa đăng nhập" in summary
    page.wait_for_selector('canvas[data-chart="chart-data-units"][data-drawn="1"]')
    visit(page, "reports-usage")

    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    excel = info.value
    assert excel.suggested_filename.startswith("bao-cao-su-dung-ca-nam-")
    target = tmp_path / excel.suggested_filename
    excel.save_as(target)
    book = load_workbook(target)
    assert book.sheetnames[0] == "Tổng hợp"
    shown = page.locator("#table-summary tbody tr").first.locator("td").inner_text()
    assert str(book["Tổng hợp"]["B5"].value) == shown.replace(".", "")

    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    pdf = info.value
    target = tmp_path / pdf.suggested_filename
    pdf.save_as(target)
    text = " ".join(PdfReader(io.BytesIO(target.read_bytes())).pages[0].extract_text().split())
    assert "BÁO CÁO TÌNH HÌNH SỬ DỤNG HỆ THỐNG HỌP KHÔNG GIẤY" in text

    page.get_by_role("link", name="Bản in A4").click()
    page.wait_for_url("**/thong-ke/bao-cao-su-dung/in/**")
    assert page.get_by_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").is_visible()
    visit(page, "reports-usage-print")
    page.get_by_role("link", name="Về trang báo cáo").click()
    assert path_of(page) == "/thong-ke/bao-cao-su-dung/"


def test_unit_account_on_a_phone_sees_its_own_figures(live_server, demo, new_context) -> None:
    page = new_context(**PHONE).new_page()
    sign_in(page, live_server, "stc")
    page.goto(f"{live_server.url}/thong-ke/")
    assert page.get_by_label("Đơn vị", exact=True).count() == 0
    units = page.locator("#table-compliance tbody th").all_inner_texts()
    assert set(units) <= {"Sở Tài chính", "Không có đơn vị nào được mời trong thời gian này."}
    page.wait_for_selector('canvas[data-chart="chart-data-month"][data-drawn="1"]')
    visit(page, "reports-statistics-phone")
    # No login log for a unit clerk.
    response = page.goto(f"{live_server.url}/thong-ke/nhat-ky-dang-nhap/")
    assert response is not None and response.status == 403


def test_admin_reads_the_login_log(live_server, demo, new_context) -> None:
    page = new_context(viewport=LAPTOP_SCREEN["viewport"]).new_page()
    sign_in(page, live_server, "quantri")
    page.goto(f"{live_server.url}/thong-ke/")
    page.get_by_role("link", name="Nhật ký đăng nhập").click()
    page.wait_for_url("**/thong-ke/nhat-ky-dang-nhap/")
    rows = page.locator("#table-login-log tbody tr")
    assert "quantri" in rows.first.inner_text()
    assert "Đăng nhập thành công" in rows.first.inner_text()
    # The demo's earlier sessions list what they downloaded.
    session = page.locator("#table-login-log details").first
    session.locator("summary").click()
    assert "Báo cáo phục vụ" in session.inner_text()
    visit(page, "reports-login-log")
    page.get_by_label("Sự kiện").select_option(label="Đăng nhập thất bại")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    assert "su_kien=failure" in page.url
    assert rows.count() == 3 and "stc" in rows.first.inner_text()
    visit(page, "reports-login-log-failures")
