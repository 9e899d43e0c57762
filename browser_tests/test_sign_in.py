"""Every demo role signs in, sees its own dashboard and account page, and signs out."""

import pytest
from django.utils import timezone

from accounts.models import LoginEvent, User
from browser_tests.conftest import DASHBOARD_PATH, LOGIN_PATH, path_of, shot, sign_in, visit

pytestmark = pytest.mark.browser

# Demo username -> the role the pages must show, in Vietnamese.
DEMO_ROLES = {
    "quantri": "Quản trị hệ thống",
    "vanthu": "Văn thư",
    "thuky": "Thư ký cuộc họp",
    "lanhdao.stc": "Lãnh đạo đơn vị",
    "stc": "Văn thư đơn vị",
    "thanhvien": "Thành viên",
    "skhdt": "Văn thư đơn vị",
    "bcd.cds": "Thành viên",
}


@pytest.mark.parametrize("username", list(DEMO_ROLES))
def test_each_role_signs_in_sees_its_pages_and_signs_out(live_server, demo, page, username) -> None:
    user = User.objects.get(username=username)
    role = DEMO_ROLES[username]
    began = timezone.now()  # the demo data holds months of earlier sign-ins

    sign_in(page, live_server, username)
    assert path_of(page) == DASHBOARD_PATH
    assert page.get_by_role("heading", level=1).inner_text() == f"Xin chào, {user.full_name}"
    role_line = page.locator("main h1 + p").inner_text()
    assert role_line.split(" · ")[0] == role
    if user.unit:
        assert user.unit.name in role_line
    if user.committee:
        assert user.committee.name in role_line
    assert page.get_by_role("link", name="Quản trị", exact=True).count() == (
        1 if user.is_staff else 0
    )
    visit(page, f"role-{username}-dashboard")
    signed_in = LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.SUCCESS, at__gte=began)
    assert signed_in.count() == 1

    page.get_by_role("link", name="Tài khoản của tôi").first.click()
    page.wait_for_url("**/tai-khoan/tai-khoan/")
    account = page.locator("main dl")
    assert account.locator("dt:has-text('Tên đăng nhập') + dd").inner_text() == username
    assert account.locator("dt:has-text('Vai trò') + dd").inner_text() == role
    assert "Đăng nhập thành công" in page.locator("main table").first.inner_text()
    visit(page, f"role-{username}-account")

    if username == "quantri":
        check_django_admin(page, live_server)

    page.locator("nav button.dropdown-toggle:has(.bi-person-circle)").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất", exact=True).click()
    assert path_of(page) == "/"
    assert page.get_by_role("link", name="Đăng nhập").first.is_visible()
    shot(page, f"role-{username}-signed-out")
    signed_out = LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.LOGOUT, at__gte=began)
    assert signed_out.count() == 1

    page.goto(live_server.url + DASHBOARD_PATH)
    assert path_of(page) == LOGIN_PATH, "the session is over"


def check_django_admin(page, live_server) -> None:
    page.get_by_role("link", name="Quản trị", exact=True).click()
    page.wait_for_url("**/admin/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Quản trị hệ thống").is_visible()
    assert page.get_by_role("link", name="Tài khoản", exact=True).first.is_visible()
    visit(page, "role-quantri-admin-index")
    page.goto(live_server.url + "/admin/accounts/user/")
    assert page.locator("#result_list").get_by_text("thanhvien", exact=True).is_visible()
    visit(page, "role-quantri-admin-users")
    page.goto(live_server.url + DASHBOARD_PATH)
