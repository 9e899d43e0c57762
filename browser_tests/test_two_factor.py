"""Two-factor sign-in (B8) and the session list, the way people use them: a new admin enrols with
the secret shown on the page, signs in again with the app's code and with a backup code (once),
and wrong codes lock the account; a member signs other browsers out from the account page."""

import re

import pyotp
import pytest
from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginEvent, User, UserSession
from browser_tests.conftest import (
    CODE_STEP_PATH,
    DASHBOARD_PATH,
    LOGIN_PATH,
    app_code,
    path_of,
    sign_in,
    visit,
)
from operations.management.commands.load_demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

SETUP_PATH = "/tai-khoan/xac-thuc-hai-buoc/dang-ky/"
BACKUP_PATH = "/tai-khoan/xac-thuc-hai-buoc/ma-du-phong/"
ACCOUNT_PATH = "/tai-khoan/tai-khoan/"


def sign_out(page) -> None:
    page.locator("nav button.dropdown-toggle:has(.bi-person-circle)").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất", exact=True).click()


def password_step(page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(live_server.url + LOGIN_PATH)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập", exact=True).click()


def give_code(page, code: str) -> int:
    page.fill("input[name=code]", code)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Xác nhận", exact=True).click()
    return navigation.value.status


def test_admin_enrols_then_signs_in_with_the_app_and_a_backup_code(
    live_server, demo, new_context
) -> None:
    # A newcomer's admin: no authenticator yet (the demo fixture gave it one; take it away).
    TOTPDevice.objects.filter(user__username="quantri").delete()
    page = new_context().new_page()
    password_step(page, live_server, "quantri")
    assert path_of(page) == SETUP_PATH
    assert "phải dùng xác thực hai bước" in page.get_by_role("alert").inner_text()
    visit(page, "two-factor-enrol")
    page.goto(live_server.url + "/admin/")
    assert path_of(page) == SETUP_PATH, "nothing else opens before enrolment"

    qr = page.get_by_role("img", name="Mã QR để thêm tài khoản vào ứng dụng xác thực")
    assert qr.locator("svg").count() == 1
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.fill("input[name=code]", "000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận và bật").click()
    assert "Mã không đúng" in page.locator(".invalid-feedback").inner_text()
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận và bật").click()
    assert path_of(page) == BACKUP_PATH
    codes = page.locator("li.backup-code").all_inner_texts()
    assert len(codes) == settings.TWO_FACTOR_BACKUP_CODES
    visit(page, "two-factor-backup-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="Đã cất mã, tiếp tục").click()
    assert path_of(page) == DASHBOARD_PATH
    page.goto(live_server.url + BACKUP_PATH)
    assert path_of(page) == ACCOUNT_PATH, "the backup codes show once"
    assert "Còn 10 mã dự phòng" in page.locator("main").inner_text()
    visit(page, "two-factor-account-enrolled")
    sign_out(page)

    # The app's next code (the one used to enrol is taken).
    password_step(page, live_server, "quantri")
    assert path_of(page) == CODE_STEP_PATH
    visit(page, "two-factor-code-step")
    page.goto(live_server.url + DASHBOARD_PATH)
    assert path_of(page) == LOGIN_PATH, "between the steps nobody is signed in"
    password_step(page, live_server, "quantri")
    give_code(page, app_code("quantri"))
    assert path_of(page) == DASHBOARD_PATH
    page.goto(live_server.url + "/admin/")
    assert path_of(page) == "/admin/"
    page.goto(live_server.url + DASHBOARD_PATH)
    sign_out(page)

    # A backup code, once.
    password_step(page, live_server, "quantri")
    give_code(page, codes[0])
    assert path_of(page) == DASHBOARD_PATH
    assert "còn 9 mã" in page.locator(".messages").inner_text()
    assert StaticToken.objects.filter(device__user__username="quantri").count() == 9
    sign_out(page)
    password_step(page, live_server, "quantri")
    assert give_code(page, codes[0]) == 200
    assert path_of(page) == CODE_STEP_PATH
    assert "không đúng hoặc đã được dùng" in page.locator(".invalid-feedback").inner_text()
    visit(page, "two-factor-code-refused")

    # Wrong codes count toward the lockout, with the refused backup code.
    statuses = [200]
    while statuses[-1] == 200 and len(statuses) < settings.AXES_FAILURE_LIMIT + 1:
        statuses.append(give_code(page, "123456"))
    assert statuses[-1] == 429, statuses
    assert len(statuses) == settings.AXES_FAILURE_LIMIT
    assert "Tài khoản tạm thời bị khoá" in page.locator("main").inner_text()
    visit(page, "two-factor-locked")
    admin = User.objects.get(username="quantri")
    failures = LoginEvent.objects.filter(kind=LoginEvent.Kind.CODE_FAILURE, user=admin)
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.LOCKED, user=admin).exists()
    # The password is refused too while the lock lasts.
    password_step(page, live_server, "quantri")
    assert "Tài khoản tạm thời bị khoá" in page.locator("main").inner_text()


def test_a_member_signs_other_browsers_out(live_server, demo, new_context) -> None:
    desk = new_context().new_page()
    phone = new_context(
        user_agent=(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
        )
    ).new_page()
    sign_in(desk, live_server, "thanhvien")
    sign_in(phone, live_server, "thanhvien")
    desk.goto(live_server.url + ACCOUNT_PATH)
    rows = desk.locator("tr.session-row")
    assert rows.count() == 2
    assert "Thiết bị này" in rows.nth(0).inner_text()
    assert "Mobile Safari 17 trên iOS, iPhone" in rows.nth(1).inner_text()
    visit(desk, "sessions-list")

    # One session by its own button.
    with desk.expect_navigation():
        rows.nth(1).get_by_role("button").click()
    assert "Đã đăng xuất phiên đó." in desk.locator(".messages").inner_text()
    assert desk.locator("tr.session-row").count() == 1
    phone.goto(live_server.url + DASHBOARD_PATH)
    assert path_of(phone) == LOGIN_PATH

    # Every other one at once.
    sign_in(phone, live_server, "thanhvien")
    third = new_context().new_page()
    sign_in(third, live_server, "thanhvien")
    desk.reload()
    assert desk.locator("tr.session-row").count() == 3
    with desk.expect_navigation():
        desk.get_by_role("button", name="Đăng xuất mọi nơi khác").click()
    assert "Đã đăng xuất 2 phiên khác." in desk.locator(".messages").inner_text()
    visit(desk, "sessions-others-signed-out")
    for other in (phone, third):
        other.goto(live_server.url + DASHBOARD_PATH)
        assert path_of(other) == LOGIN_PATH
    desk.goto(live_server.url + DASHBOARD_PATH)
    assert path_of(desk) == DASHBOARD_PATH
    assert UserSession.objects.filter(user__username="thanhvien").count() == 1
