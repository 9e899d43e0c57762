"""Single sign-on in the browser: the provider's button on the sign-in page, the provider's own
sign-in page (a real OpenID Connect provider, accounts/tests/oidc_provider), the dashboard, and the
sign-out that goes on to the provider and back home. The cases around it (refusals, our code step,
accounts made on the fly) are in accounts/tests/test_sso.py, over HTTP."""

from collections.abc import Iterator

import pytest

from accounts.models import LoginEvent, User
from accounts.tests.oidc_provider.server import Provider, start_provider
from browser_tests.conftest import DASHBOARD_PATH, LOGIN_PATH, path_of, shot, visit

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-nha-cung-cap"  # noqa: S105 (the test provider's person)


@pytest.fixture(scope="module")
def provider(tmp_path_factory) -> Iterator[Provider]:
    person = {"password": PASSWORD, "email": "vanthu@sso.gov.vn", "amr": ["pwd", "otp"]}
    # "http://127.0.0.1" stands for the live server on any port (RFC 8252 loopback addresses).
    running = start_provider(
        tmp_path_factory.mktemp("oidc-provider"), {"vanthu.sso": person}, ["http://127.0.0.1"]
    )
    yield running
    running.stop()


def test_sign_in_through_the_provider_lands_on_the_dashboard(
    live_server, demo, page, provider, settings
) -> None:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    # The demo's clerk must give a second factor; the provider asked for one (amr "otp").
    clerk = User.objects.get(username="vanthu")
    User.objects.filter(pk=clerk.pk).update(email="vanthu@sso.gov.vn")
    site = live_server.url.replace("localhost", "127.0.0.1")

    page.goto(site + LOGIN_PATH)
    visit(page, "sso-sign-in")
    with page.expect_navigation():
        page.get_by_role("link", name="Đăng nhập bằng SSO tỉnh").click()
    assert page.url.startswith(provider.url + "/dang-nhap/")
    shot(page, "sso-provider")
    page.fill("input[name=username]", "vanthu.sso")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation(url=f"{site}{DASHBOARD_PATH}"):
        page.get_by_role("button", name="Đăng nhập").click()

    assert path_of(page) == DASHBOARD_PATH
    assert page.get_by_role("heading", level=1).inner_text() == f"Xin chào, {clerk.full_name}"
    visit(page, "sso-dashboard")
    signed_in = LoginEvent.objects.get(user=clerk, kind=LoginEvent.Kind.SUCCESS)
    assert signed_in.method == LoginEvent.Method.SSO

    # Sign-out: here, then at the provider, which sends the browser back to the home page.
    page.locator("nav button.dropdown-toggle:has(.bi-person-circle)").click()
    with page.expect_navigation(url=f"{site}/"):
        page.get_by_role("button", name="Đăng xuất", exact=True).click()
    assert LoginEvent.objects.filter(user=clerk, kind=LoginEvent.Kind.LOGOUT).exists()
    page.goto(f"{provider.issuer}/authorize/?response_type=code")
    assert page.url.startswith(provider.url + "/dang-nhap/")  # signed out there too
