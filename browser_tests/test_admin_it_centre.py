"""The IT centre's admin on a 1280 × 800 screen: a unit added (its kind offered, the error note in
Vietnamese), an account locked out by wrong passwords found with the list's filter, and the audit
log read, filtered, opened and exported; each page checked by axe-core and for sideways
scrolling."""

import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from accounts.models import Unit
from accounts.tests.factories import TEST_PASSWORD, TOTPDeviceFactory
from browser_tests.conftest import DESKTOP, sign_in
from browser_tests.steps import step

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(live_server, role_users, new_context) -> Page:
    TOTPDeviceFactory(user=role_users["admin"])
    page = new_context(**DESKTOP).new_page()
    sign_in(page, live_server, role_users["admin"].username, TEST_PASSWORD)
    return page


def test_a_unit_added_and_a_locked_account_found(live_server, role_users, admin_page) -> None:
    page = admin_page
    page.goto(live_server.url + reverse("admin:accounts_unit_add"))
    expect(page.get_by_label("Loại đơn vị")).to_have_value(Unit.Kind.DEPARTMENT)
    page.get_by_label("Mã đơn vị").fill("SNV")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    expect(page.locator(".errornote")).to_have_text("Vui lòng sửa lỗi dưới đây.")
    step(page, "admin-unit-add-error")
    page.get_by_label("Tên đơn vị").fill("Sở Nội vụ")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    expect(page.locator("ul.messagelist li.success")).to_have_count(1)
    assert Unit.objects.get(code="SNV").kind == Unit.Kind.DEPARTMENT
    step(page, "admin-unit-list")

    member = role_users["member"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("accounts:login"), {"username": member.username, "password": "sai"})
    page.goto(live_server.url + reverse("admin:accounts_user_changelist"))
    page.locator("#changelist-filter").get_by_role("link", name="Đang bị khoá").click()
    page.wait_for_url("**khoa=co**")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(member.username)
    expect(rows.first).to_contain_text("Bị khoá đến")
    # The lock is in sight without scrolling the table sideways.
    box = page.locator("#changelist .results").bounding_box()
    cell = rows.first.locator("td.field-locked_out").bounding_box()
    assert box is not None and cell is not None
    assert cell["x"] + cell["width"] <= box["x"] + box["width"]
    step(page, "admin-accounts-locked")


def test_the_audit_log_read_filtered_opened_and_exported(
    live_server, role_users, admin_page
) -> None:
    page = admin_page
    unit = Unit.objects.create(code="SNV", name="Sở Nội vụ", kind=Unit.Kind.DEPARTMENT)
    unit.name = "Sở Nội vụ tỉnh"
    unit.save()

    page.goto(live_server.url + reverse("admin:auditlog_logentry_changelist"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Chọn mục nhật ký thay đổi để xem")
    step(page, "admin-audit-log")
    filters = page.locator("#changelist-filter")
    filters.get_by_label("Loại đối tượng").select_option(label="Đơn vị")
    with page.expect_navigation():
        filters.get_by_role("button", name="Lọc").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows.first).to_contain_text("Đơn vị: Sở Nội vụ tỉnh")
    expect(rows.first).to_contain_text("Tên đơn vị")
    assert "Tài khoản:" not in page.locator("#result_list").inner_text()
    table = page.evaluate(
        "(() => { const r = document.querySelector('#changelist .results');"
        " return [r.scrollWidth, r.clientWidth]; })()"
    )
    assert table[0] <= table[1], f"the log's table scrolls sideways: {table}"
    step(page, "admin-audit-log-units")

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book.active
    assert sheet is not None
    assert "Loại đối tượng: Đơn vị" in str(sheet["A2"].value)

    rows.first.locator("th.field-when a").click()
    page.wait_for_url("**/auditlog/logentry/*/change/**")
    changes = page.locator("table.audit-changes")
    expect(changes).to_contain_text("Tên đơn vị")
    expect(changes).to_contain_text("Sở Nội vụ tỉnh")
    expect(page.get_by_role("link", name="Đơn vị: Sở Nội vụ tỉnh")).to_be_visible()
    step(page, "admin-audit-log-entry")
