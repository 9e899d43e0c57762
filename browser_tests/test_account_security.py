"""Admin password reset with forced change (A4), and lockout after repeated failures with admin
unlock (A3, A4), done the way people do them: in the browser, through the admin's actions."""

import pytest
from django.conf import settings

from accounts.models import LoginEvent, User
from browser_tests.conftest import DASHBOARD_PATH, path_of, sign_in, visit

pytestmark = pytest.mark.browser

CHANGE_PATH = "/tai-khoan/doi-mat-khau/"
USERS_ADMIN = "/admin/accounts/user/"


def run_user_action(page, live_server, username: str, action_label: str, name: str) -> None:
    """As a signed-in admin: tick one account in the changelist and run an action on it."""
    page.goto(live_server.url + USERS_ADMIN)
    pk = User.objects.get(username=username).pk
    page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", label=action_label)
    visit(page, f"{name}-admin-action-chosen")
    with page.expect_navigation():
        page.click("button[name=index]")
    assert page.locator("ul.messagelist li.success").count() == 1
    visit(page, f"{name}-admin-action-done")


def test_admin_reset_forces_a_new_password_at_next_sign_in(live_server, demo, new_context) -> None:
    admin_page = new_context().new_page()
    sign_in(admin_page, live_server, "quantri")
    run_user_action(
        admin_page,
        live_server,
        "stc",
        "Đặt lại mật khẩu tạm thời (buộc đổi khi đăng nhập)",
        "reset",
    )
    assert (
        "Đã đặt lại mật khẩu tạm thời cho 1 tài khoản"
        in admin_page.locator("ul.messagelist").inner_text()
    )
    stc = User.objects.get(username="stc")
    assert stc.must_change_password is True
    assert stc.check_password(settings.TEMPORARY_PASSWORD)

    page = new_context().new_page()
    sign_in(page, live_server, "stc", "abc@123456")
    assert path_of(page) == CHANGE_PATH
    assert "vừa được quản trị đặt lại" in page.get_by_role("alert").inner_text()
    visit(page, "reset-forced-change")

    page.goto(live_server.url + DASHBOARD_PATH)
    assert path_of(page) == CHANGE_PATH, "nothing else opens before the change"

    labels = page.locator("main form label").all_inner_texts()
    assert [label.rstrip(" *") for label in labels] == [
        "Mật khẩu cũ",
        "Mật khẩu mới",
        "Xác nhận mật khẩu mới",
    ]
    page.fill("#id_old_password", "abc@123456")
    page.fill("#id_new_password1", "abc@123456")
    page.fill("#id_new_password2", "abc@123456")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu mật khẩu mới").click()
    assert path_of(page) == CHANGE_PATH
    errors = page.locator(".invalid-feedback").all_inner_texts()
    assert any("mật khẩu tạm thời" in error for error in errors), errors
    # What a screen reader announces with the field: every error, not only the first.
    announced = page.evaluate(
        """() => document.getElementById('id_new_password2').getAttribute('aria-describedby')
                 .split(' ').map(id => document.getElementById(id).innerText).join(' ')"""
    )
    assert "mật khẩu tạm thời" in announced
    assert "khác mật khẩu hiện tại" in announced
    visit(page, "reset-temporary-refused")
    assert User.objects.get(username="stc").must_change_password is True

    new_password = "Tài-chính-mới-2026!"
    page.fill("#id_old_password", "abc@123456")
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu mật khẩu mới").click()
    assert path_of(page) == DASHBOARD_PATH
    assert "Đã đổi mật khẩu." in page.locator(".messages").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Xin chào, Sở Tài chính"
    visit(page, "reset-changed-dashboard")

    stc.refresh_from_db()
    assert stc.must_change_password is False
    assert stc.check_password(new_password)


def test_lockout_after_five_failures_until_admin_unlocks(live_server, demo, new_context) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    page = new_context().new_page()
    statuses = []
    for attempt in range(1, limit + 2):
        sign_in_response = attempt_sign_in(page, live_server, "thanhvien", f"sai-{attempt}")
        statuses.append(sign_in_response)
        if sign_in_response == 429:
            break
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.get_by_role("alert").inner_text()
        if attempt == 1:
            visit(page, "lockout-wrong-password")
    assert statuses[-1] == 429, statuses
    assert len(statuses) == limit, f"locked at the {limit}th failure: {statuses}"
    assert "Tài khoản tạm thời bị khoá" in page.get_by_role("heading", level=1).inner_text()
    visit(page, "lockout-locked")
    failures = LoginEvent.objects.filter(kind=LoginEvent.Kind.FAILURE, username_tried="thanhvien")
    assert failures.count() == len(statuses)
    assert all(event.user.username == "thanhvien" for event in failures)
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.LOCKED, username_tried="thanhvien")

    # Even the right password is refused while the lock lasts.
    assert attempt_sign_in(page, live_server, "thanhvien", "Demo@2026!") == 429
    assert "Tài khoản tạm thời bị khoá" in page.locator("main").inner_text()
    assert not LoginEvent.objects.filter(kind=LoginEvent.Kind.SUCCESS, username_tried="thanhvien")

    admin_page = new_context().new_page()
    sign_in(admin_page, live_server, "quantri")
    run_user_action(
        admin_page,
        live_server,
        "thanhvien",
        "Mở khoá tài khoản bị khoá do đăng nhập sai",
        "unlock",
    )
    assert "Đã mở khoá 1 tài khoản" in admin_page.locator("ul.messagelist").inner_text()

    assert attempt_sign_in(page, live_server, "thanhvien", "Demo@2026!") == 200
    assert path_of(page) == DASHBOARD_PATH
    assert page.get_by_role("heading", level=1).inner_text() == "Xin chào, Lê Hoàng Phúc"
    visit(page, "lockout-unlocked-dashboard")
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.SUCCESS, username_tried="thanhvien")


def attempt_sign_in(page, live_server, username: str, password: str) -> int:
    """Sign in and return the status of the page the browser ends on."""
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
    return navigation.value.status
