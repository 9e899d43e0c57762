"""Single sign-on through a real OpenID Connect provider (django-oauth-toolkit in its own process,
accounts/tests/oidc_provider): the person signs in at the provider's page over HTTP, and the
provider's answer comes back into the product through the test client, as a browser would bring
it. Matching by claim, the provider's second factor or ours, refusals with their message, accounts
made only when configured, sign-out at the provider, the login log."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import LoginEvent, User
from accounts.tests.factories import TOTPDeviceFactory, UserFactory, totp_code
from accounts.tests.oidc_provider.server import CALLBACK_PATH, Provider, start_provider

PASSWORD = "mat-khau-nha-cung-cap"  # noqa: S105 (the test provider's people)
PEOPLE = {
    "an": {
        "password": PASSWORD,
        "email": "an@sso.gov.vn",
        "name": "Nguyễn Văn An",
        "preferred_username": "an",
        "personal_id": "001099000001",
        "amr": ["pwd", "otp", "mfa"],
    },
    "binh": {"password": PASSWORD, "email": "binh@sso.gov.vn", "amr": ["pwd"]},
    "cuong": {"password": PASSWORD, "email": "cuong@sso.gov.vn", "amr": ["pwd", "mfa"]},
    "dung": {
        "password": PASSWORD,
        "email": "dung@sso.gov.vn",
        "name": "Lê Văn Dũng",
        "preferred_username": "dung",
        "amr": ["pwd"],
    },
    "em": {"password": PASSWORD, "email": "em@sso.gov.vn", "amr": ["pwd"], "acr": "muc-3"},
}
LOGIN = reverse("accounts:login")
START = reverse("accounts:sso_start")
DASHBOARD = reverse("portal:dashboard")
CODE_STEP = reverse("accounts:two_factor_verify")


@pytest.fixture(scope="module")
def provider(tmp_path_factory) -> Iterator[Provider]:
    running = start_provider(
        tmp_path_factory.mktemp("oidc-provider"),
        PEOPLE,
        hosts=["http://testserver", "http://127.0.0.1"],
    )
    yield running
    running.stop()


@pytest.fixture
def sso(provider, settings) -> Provider:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


def through_provider(client: Client, username: str, next_url: str = ""):
    """Signs in at the provider as `username` and brings its answer back to the product. Returns
    the product's answer and the provider's browser session (its cookies)."""
    start = client.get(START + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    browser = requests.Session()
    answer = browser.get(authorize, allow_redirects=False)
    login_page = urljoin(authorize, answer.headers["Location"])
    assert browser.get(login_page).status_code == 200
    answer = browser.post(
        login_page,
        data={
            "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"],
            "username": username,
            "password": PASSWORD,
            "next": parse_qs(urlsplit(login_page).query)["next"][0],
        },
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    answer = browser.get(urljoin(authorize, answer.headers["Location"]), allow_redirects=False)
    back = urlsplit(answer.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == "http://testserver" + CALLBACK_PATH
    return client.get(f"{back.path}?{back.query}"), browser


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def sso_events(**filters) -> list[LoginEvent]:
    return list(LoginEvent.objects.filter(method=LoginEvent.Method.SSO, **filters).order_by("pk"))


# ---- off until configured ---------------------------------------------------------------------
@pytest.mark.django_db
def test_off_without_a_provider(client) -> None:
    assert client.get(START).status_code == 404
    assert client.get(reverse("accounts:sso_callback") + "?code=x&state=y").status_code == 404
    page = client.get(LOGIN).content.decode()
    assert "Đăng nhập bằng" not in page and 'name="password"' in page


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_provider(sso, client) -> None:
    page = client.get(LOGIN + "?next=/lich-hop/").content.decode()
    assert "Đăng nhập bằng SSO tỉnh" in page
    assert f'href="{START}?next=%2Flich-hop%2F"' in page


# ---- the second factor: the provider's, or ours ---------------------------------------------
@pytest.mark.django_db
def test_the_providers_mfa_is_taken_in_place_of_our_code_step(sso, client) -> None:
    # A clerk must have a second factor (TWO_FACTOR_REQUIRED_ROLES) and has one here; the
    # provider's "amr" says it asked for one, so ours is not asked again.
    clerk = UserFactory(email="AN@sso.gov.vn", role=User.Role.CLERK)
    TOTPDeviceFactory(user=clerk)

    response, _ = through_provider(client, "an", next_url="/tai-khoan/tai-khoan/")

    assert response.status_code == 302 and response["Location"] == "/tai-khoan/tai-khoan/"
    assert client.session[SESSION_KEY] == str(clerk.pk)
    assert client.get(DASHBOARD).status_code == 200
    [event] = sso_events()
    assert (event.kind, event.user, event.username_tried) == ("success", clerk, clerk.username)
    account_page = client.get(reverse("accounts:account")).content.decode()
    assert "Đăng nhập thành công (Đăng nhập một lần (SSO))" in account_page


@pytest.mark.django_db
def test_without_the_providers_mfa_our_code_step_is_asked(sso, client) -> None:
    member = UserFactory(email="binh@sso.gov.vn")
    device = TOTPDeviceFactory(user=member)

    response, _ = through_provider(client, "binh")

    assert response["Location"] == CODE_STEP
    assert SESSION_KEY not in client.session  # not signed in before the code
    assert client.get(DASHBOARD)["Location"].startswith(LOGIN)
    assert not sso_events(kind="success")
    signed_in = client.post(CODE_STEP, {"code": totp_code(device)})
    assert signed_in["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200
    [event] = sso_events()
    assert (event.kind, event.user) == ("success", member)


@pytest.mark.django_db
def test_an_acr_level_configured_counts_as_the_second_factor(sso, client, settings) -> None:
    # An admin without an authenticator would be sent to enrol; the provider's level is enough.
    settings.OIDC_MFA_ACR = ["muc-3"]
    admin = UserFactory(email="em@sso.gov.vn", role=User.Role.ADMIN, unit=None)

    response, _ = through_provider(client, "em")

    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200
    assert sso_events()[0].user == admin


# ---- refusals ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_deactivated_account_stays_out_whatever_the_provider_says(sso, client) -> None:
    gone = UserFactory(email="cuong@sso.gov.vn", is_active=False)

    response, _ = through_provider(client, "cuong")

    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session
    page = client.get(LOGIN).content.decode()
    assert "Tài khoản này đã ngừng hoạt động." in page
    [event] = sso_events()
    assert (event.kind, event.user, event.username_tried) == ("failure", gone, "cuong@sso.gov.vn")
    assert "oidc_id_token" not in client.session


@pytest.mark.django_db
def test_an_unknown_account_is_refused_and_not_made(sso, client) -> None:
    before = User.objects.count()

    response, _ = through_provider(client, "dung")

    assert response["Location"] == LOGIN
    assert said(response) == [
        "Tài khoản SSO tỉnh của bạn chưa được gắn với tài khoản nào trong hệ thống. "
        "Hãy liên hệ quản trị hệ thống (Trung tâm CNTT)."
    ]
    assert User.objects.count() == before
    [event] = sso_events()
    assert (event.kind, event.user, event.username_tried) == ("failure", None, "dung@sso.gov.vn")
    assert LoginEvent.objects.count() == 1  # no second row from the password's receiver


@pytest.mark.django_db
def test_an_unknown_account_is_made_when_configured(sso, client, settings) -> None:
    settings.OIDC_CREATE_USER = True

    response, _ = through_provider(client, "dung")

    assert response["Location"] == DASHBOARD
    made = User.objects.get(email="dung@sso.gov.vn")
    assert (made.username, made.full_name, made.role, made.kind, made.unit) == (
        "dung",
        "Lê Văn Dũng",
        User.Role.MEMBER,
        User.Kind.PERSONAL,
        None,
    )
    assert not made.has_usable_password()
    assert client.session[SESSION_KEY] == str(made.pk)
    assert sso_events()[0].user == made


@pytest.mark.django_db
def test_accounts_matched_by_the_personal_identifier(sso, client, settings) -> None:
    settings.OIDC_MATCH_CLAIM = "personal_id"
    settings.OIDC_MATCH_FIELD = "personal_id"
    # Another account holds the provider's e-mail: the identifier decides.
    UserFactory(email="an@sso.gov.vn")
    holder = UserFactory(email="khac@example.gov.vn", personal_id="001099000001")

    response, _ = through_provider(client, "an")

    assert response["Location"] == DASHBOARD
    assert client.session[SESSION_KEY] == str(holder.pk)


@pytest.mark.django_db
def test_the_providers_error_and_a_forged_answer_get_a_message(sso, client) -> None:
    callback = reverse("accounts:sso_callback")
    cancelled = client.get(callback + "?error=access_denied&state=abc")
    assert cancelled["Location"] == LOGIN
    assert said(cancelled) == ["Đăng nhập bằng SSO tỉnh không thành công. Hãy thử lại sau."]
    client.get(LOGIN)  # the message shown
    forged = client.get(callback + "?code=abc&state=<script>")
    assert forged["Location"] == LOGIN
    assert said(forged) == [
        "Phiên đăng nhập bằng SSO tỉnh đã hết hạn hoặc không hợp lệ. Hãy thử lại."
    ]
    assert [(e.kind, e.username_tried) for e in sso_events()] == [
        ("failure", "access_denied"),
        ("failure", ""),
    ]
    assert SESSION_KEY not in client.session
    assert client.post(START).status_code == 405


@pytest.mark.django_db
def test_a_provider_that_does_not_answer_gets_a_message(client, settings) -> None:
    settings.OIDC_OP_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.OIDC_RP_CLIENT_ID = "hop-khong-giay"
    response = client.get(START)
    assert response["Location"] == LOGIN
    assert said(response) == ["Đăng nhập bằng tài khoản công vụ không thành công. Hãy thử lại sau."]


# ---- sign-out here and at the provider -----------------------------------------------------------
@pytest.mark.django_db
def test_sign_out_ends_the_session_at_the_provider_too(sso, client) -> None:
    member = UserFactory(email="an@sso.gov.vn")
    _, browser = through_provider(client, "an")

    page = client.post(reverse("accounts:logout"))

    assert SESSION_KEY not in client.session
    assert page.status_code == 200
    end_session = page.context["url"]
    assert end_session.startswith(sso.issuer + "/logout/?")
    query = parse_qs(urlsplit(end_session).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert query["client_id"] == ["hop-khong-giay"]
    assert f'content="0;url={end_session.replace("&", "&amp;")}"' in page.content.decode()
    # The provider takes the hint, ends its own session and sends the browser home.
    answer = browser.get(end_session, allow_redirects=False)
    assert answer.status_code == 302 and answer.headers["Location"] == "http://testserver/"
    again = browser.get(sso.issuer + "/authorize/?response_type=code", allow_redirects=False)
    assert again.headers["Location"].startswith("/dang-nhap/")
    assert [(e.kind, e.user) for e in sso_events()] == [("success", member), ("logout", member)]


@pytest.mark.django_db
def test_a_password_session_signs_out_here_only(sso, client) -> None:
    member = UserFactory()
    client.force_login(member, backend="accounts.backends.PasswordBackend")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


# ---- password sign-in for the admins only ------------------------------------------------------
@pytest.mark.django_db
def test_password_sign_in_can_be_kept_for_the_admins(sso, client, settings, password) -> None:
    settings.PASSWORD_SIGN_IN = "admins"
    member = UserFactory()
    admin = UserFactory(role=User.Role.ADMIN, unit=None)

    refused = client.post(LOGIN, {"username": member.username, "password": password})
    assert refused.status_code == 200
    assert SESSION_KEY not in client.session
    assert (
        "Đăng nhập bằng mật khẩu chỉ dành cho quản trị hệ thống. Hãy dùng nút "
        "“Đăng nhập bằng SSO tỉnh”."
    ) in refused.content.decode()
    assert LoginEvent.objects.get().kind == LoginEvent.Kind.FAILURE

    client.post(LOGIN, {"username": admin.username, "password": password})
    assert client.session[SESSION_KEY] == str(admin.pk)
    assert LoginEvent.objects.filter(user=admin, method="password", kind="success").exists()


@pytest.mark.django_db
def test_password_sign_in_stays_for_everyone_without_a_provider(client, settings, password) -> None:
    # PASSWORD_SIGN_IN=admins waits for a provider: without one it would lock everyone out.
    settings.PASSWORD_SIGN_IN = "admins"
    member = UserFactory()
    client.post(LOGIN, {"username": member.username, "password": password})
    assert client.session[SESSION_KEY] == str(member.pk)


@pytest.mark.django_db
def test_nasty_values_get_a_message_never_an_error(sso) -> None:
    client = Client(raise_request_exception=False)
    callback = reverse("accounts:sso_callback")
    nasty = ["", " ", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "x" * 5000]
    nasty += ["đ" * 300, str(2**63), "%00"]
    for value in nasty:
        for query in (
            {"code": value, "state": value},
            {"error": value, "state": value},
            {"code": value},
            {"state": value},
        ):
            response = client.get(callback, query)
            assert (response.status_code, response["Location"]) == (302, LOGIN), query
        started = client.get(START, {"next": value})
        assert started.status_code == 302 and started["Location"].startswith(sso.issuer)
    assert client.get(LOGIN).status_code == 200
    assert not LoginEvent.objects.filter(user__isnull=False).exists()
