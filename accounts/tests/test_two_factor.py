"""Two-factor sign-in (B8): the code step, backup codes, lockout, enrolment, required roles, removal
and the admin's reset. Real requests through the test client, real devices, codes computed as an
authenticator app computes them (pyotp)."""

import re
from base64 import b32encode

import pyotp
import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginEvent, User, UserSession
from accounts.tests.factories import TOTPDeviceFactory, totp_code
from accounts.two_factor import two_factor_reset

LOGIN = reverse("accounts:login")
CODE_STEP = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")
BACKUP = reverse("accounts:two_factor_backup_codes")
DASHBOARD = reverse("portal:dashboard")


def password_step(client: Client, user: User, password: str, **extra):
    return client.post(LOGIN, {"username": user.username, "password": password}, **extra)


def events(user: User, event: str) -> int:
    return sum(
        1
        for entry in LogEntry.objects.get_for_object(user)
        if (entry.additional_data or {}).get("event") == event
    )


def backup_codes_for(user: User, codes: list[str]) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    for code in codes:
        device.token_set.create(token=code)
    return device


@pytest.fixture
def enrolled_member(role_users) -> tuple[User, TOTPDevice]:
    member = role_users["member"]
    return member, TOTPDeviceFactory(user=member)


@pytest.mark.django_db
def test_password_alone_signs_nobody_in_and_the_code_does(enrolled_member, password) -> None:
    member, device = enrolled_member
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    response = password_step(client, member, password)
    assert response.status_code == 302
    assert response["Location"] == CODE_STEP
    assert "_auth_user_id" not in client.session
    assert not LoginEvent.objects.filter(kind=LoginEvent.Kind.SUCCESS).exists()
    # Between the steps nothing signed-in opens, the admin neither.
    assert client.get(DASHBOARD)["Location"].startswith(LOGIN + "?next=")
    assert client.get(reverse("admin:index"))["Location"].startswith(
        reverse("admin_login") + "?next="
    )
    page = client.get(CODE_STEP)
    assert page.status_code == 200
    assert "Xác thực hai bước" in page.content.decode()

    response = client.post(CODE_STEP, {"code": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.session["_auth_user_id"] == str(member.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(DASHBOARD).status_code == 200
    success = LoginEvent.objects.get(kind=LoginEvent.Kind.SUCCESS)
    assert success.user == member
    assert UserSession.objects.get(user=member).session_key == client.session.session_key


@pytest.mark.django_db
def test_the_code_step_keeps_the_next_address(enrolled_member, password) -> None:
    member, device = enrolled_member
    client = Client()
    client.post(
        LOGIN + "?next=/tai-khoan/tai-khoan/",
        {"username": member.username, "password": password, "next": "/tai-khoan/tai-khoan/"},
    )
    response = client.post(CODE_STEP, {"code": totp_code(device)})
    assert response["Location"] == reverse("accounts:account")


@pytest.mark.django_db
def test_a_code_is_taken_once(enrolled_member, password) -> None:
    member, device = enrolled_member
    code = totp_code(device)
    first = Client()
    password_step(first, member, password)
    assert first.post(CODE_STEP, {"code": code}).status_code == 302
    second = Client()
    password_step(second, member, password)
    response = second.post(CODE_STEP, {"code": code})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã được dùng" in response.content.decode()
    assert "_auth_user_id" not in second.session


@pytest.mark.django_db
def test_a_backup_code_works_once(enrolled_member, password) -> None:
    member, _device = enrolled_member
    backup_codes_for(member, ["aaaa2222", "bbbb3333"])
    client = Client()
    password_step(client, member, password)
    response = client.post(CODE_STEP, {"code": "AAAA 2222"}, follow=True)
    assert response.redirect_chain[-1][0] == DASHBOARD
    assert "còn 1 mã" in response.content.decode()
    assert client.session[DEVICE_ID_SESSION_KEY].startswith("otp_static")
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["bbbb3333"]
    assert events(member, "backup_code_used") == 1
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.BACKUP_CODE, user=member).count() == 1

    again = Client()
    password_step(again, member, password)
    refused = again.post(CODE_STEP, {"code": "aaaa2222"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in again.session
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.CODE_FAILURE, user=member).count() == 1


@pytest.mark.django_db
def test_wrong_codes_count_toward_the_lockout(enrolled_member, password) -> None:
    member, device = enrolled_member
    limit = settings.AXES_FAILURE_LIMIT
    client = Client()
    password_step(client, member, password)
    statuses = [client.post(CODE_STEP, {"code": "000000"}).status_code for _ in range(limit)]
    assert statuses == [200] * (limit - 1) + [429]
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.CODE_FAILURE, user=member).count() == (
        limit
    )
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.LOCKED, user=member).exists()
    # The right password and the right code are refused while the lock lasts.
    again = Client()
    assert password_step(again, member, password).status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.post(CODE_STEP, {"code": totp_code(device)}).status_code in (302, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_passwords_and_wrong_codes_add_up(enrolled_member, password) -> None:
    """A right password does not clear earlier failures: only a finished sign-in does."""
    member, _device = enrolled_member
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert password_step(Client(), member, "sai-mat-khau").status_code == 200
    client = Client()
    assert password_step(client, member, password).status_code == 302
    assert client.post(CODE_STEP, {"code": "000000"}).status_code == 429


@pytest.mark.django_db
def test_code_step_without_a_pending_sign_in_goes_back_to_sign_in(client) -> None:
    assert client.get(CODE_STEP)["Location"] == LOGIN
    assert client.post(CODE_STEP, {"code": "123456"})["Location"] == LOGIN
    assert client.put(CODE_STEP).status_code == 405


@pytest.mark.django_db
def test_a_signed_in_session_without_its_code_reaches_only_the_code_step(enrolled_member) -> None:
    """A session signed in before its account enrolled elsewhere (or any unverified one)."""
    member, device = enrolled_member
    client = Client()
    client.force_login(member)
    for url in [DASHBOARD, reverse("accounts:account"), SETUP, reverse("meetings:list")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == CODE_STEP, url
    assert client.get(DASHBOARD, HTTP_HX_REQUEST="true")["HX-Redirect"] == CODE_STEP
    assert client.post(CODE_STEP, {"code": totp_code(device)})["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.django_db
def test_the_admin_needs_its_code_for_the_admin_site(role_users) -> None:
    admin = role_users["admin"]
    TOTPDeviceFactory(user=admin)
    client = Client()
    client.force_login(admin)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert response["Location"] == CODE_STEP


# ---- required roles and enrolment -----------------------------------------------------------


def enrol(client: Client) -> list[str]:
    """What a person does on the enrolment page: read the secret, type the app's code."""
    page = client.get(SETUP).content.decode()
    assert "<svg" in page
    secret = re.search(r'id="two-factor-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1)
    code = pyotp.TOTP(secret.replace(" ", "")).now()
    response = client.post(SETUP, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == BACKUP
    codes_page = client.get(BACKUP).content.decode()
    return re.findall(r'<li class="col backup-code">([a-z2-7]{8})</li>', codes_page)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "clerk"])
def test_required_roles_are_sent_to_enrolment_and_reach_nothing_else(
    role, role_users, password
) -> None:
    user = role_users[role]
    client = Client()
    response = password_step(client, user, password)
    assert response.status_code == 302
    for url in [DASHBOARD, reverse("accounts:account"), reverse("admin:index"), "/"]:
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"] == SETUP, url
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "phải dùng xác thực hai bước" in page.content.decode()
    # The menu offers nothing that would bounce back here.
    assert reverse("meetings:list") not in page.content.decode()

    codes = enrol(client)
    assert len(codes) == settings.TWO_FACTOR_BACKUP_CODES == len(set(codes))
    assert client.get(DASHBOARD).status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed
    tokens = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert sorted(tokens) == sorted(codes)
    assert events(user, "two_factor_enrolled") == 1
    # Shown once.
    assert client.get(BACKUP)["Location"] == reverse("accounts:account")


@pytest.mark.django_db
def test_the_forced_password_change_comes_before_enrolment(role_users, settings) -> None:
    from accounts.services import password_reset_to_temporary

    clerk = role_users["clerk"]
    password_reset_to_temporary(user=clerk, by=role_users["admin"])
    client = Client()
    password_step(client, clerk, settings.TEMPORARY_PASSWORD)
    change = reverse("accounts:password_change")
    assert client.get(DASHBOARD)["Location"] == change
    assert client.get(SETUP)["Location"] == change
    new = "Văn-thư-mới-2026!"
    response = client.post(
        change,
        {"old_password": settings.TEMPORARY_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(DASHBOARD)["Location"] == SETUP


@pytest.mark.django_db
def test_others_may_enrol_and_remove_it(client_for, role_users, password) -> None:
    member = role_users["member"]
    client = client_for("member")
    assert client.get(DASHBOARD).status_code == 200  # not required
    codes = enrol(client)
    assert len(codes) == 10
    account = client.get(reverse("accounts:account")).content.decode()
    assert "Tắt xác thực hai bước" in account
    assert "Còn 10 mã dự phòng" in account

    # Signing in now takes a code.
    assert password_step(Client(), member, password)["Location"] == CODE_STEP

    assert client.get(reverse("accounts:two_factor_remove")).status_code == 405
    response = client.post(reverse("accounts:two_factor_remove"))
    assert response["Location"] == reverse("accounts:account")
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not StaticDevice.objects.filter(user=member).exists()
    assert events(member, "two_factor_removed") == 1
    assert password_step(Client(), member, password)["Location"] == DASHBOARD


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "clerk"])
def test_required_roles_cannot_remove_it_only_enrol_again(role, client_for, role_users) -> None:
    user = role_users[role]
    client = client_for(role)
    account = client.get(reverse("accounts:account")).content.decode()
    assert "Tắt xác thực hai bước" not in account
    assert "Thiết lập lại" in account
    assert client.post(reverse("accounts:two_factor_remove")).status_code == 403
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    old = TOTPDevice.objects.get(user=user)
    codes = enrol(client)
    assert len(codes) == 10
    new = TOTPDevice.objects.get(user=user)
    assert new.pk != old.pk and new.key != old.key
    assert events(user, "two_factor_reenrolled") == 1


@pytest.mark.django_db
def test_a_wrong_code_does_not_enrol(client_for, role_users) -> None:
    client = client_for("member")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "Mã không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=role_users["member"]).exists()


@pytest.mark.django_db
def test_the_enrolment_key_is_shown_as_typed_text_and_a_qr_code(client_for) -> None:
    client = client_for("member")
    page = client.get(SETUP).content.decode()
    secret = re.search(r'id="two-factor-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1)
    key = client.session["two_factor_enrol_key"]
    assert secret.replace(" ", "") == b32encode(bytes.fromhex(key)).decode().rstrip("=")
    assert '<svg width="' in page and 'class="segno"' in page
    # The same secret until it is confirmed, so a reload does not break a scan in progress.
    assert secret in client.get(SETUP).content.decode()


# ---- the admin's reset -------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_reset_removes_the_devices_and_ends_every_session(
    client_for, role_users, password
) -> None:
    from accounts.tests.test_admin import action

    clerk = role_users["clerk"]
    clerk_client = client_for("clerk")
    assert clerk_client.get(DASHBOARD).status_code == 200
    other = Client()
    password_step(other, clerk, password)
    other.post(CODE_STEP, {"code": totp_code(TOTPDevice.objects.get(user=clerk))})
    assert UserSession.objects.filter(user=clerk).count() == 2

    response = action(client_for("admin"), "user", "reset_two_factor", [clerk.pk])
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not UserSession.objects.filter(user=clerk).exists()
    assert clerk_client.get(DASHBOARD)["Location"].startswith(LOGIN + "?next=")
    assert other.get(DASHBOARD)["Location"].startswith(LOGIN + "?next=")
    entry = [
        e
        for e in LogEntry.objects.get_for_object(clerk)
        if (e.additional_data or {}).get("event") == "two_factor_reset"
    ]
    assert len(entry) == 1 and entry[0].additional_data["by"] == "admin1"
    # Signing in again leads to enrolment (the clerk's role requires it).
    client = Client()
    password_step(client, clerk, password)
    assert client.get(DASHBOARD)["Location"] == SETUP


@pytest.mark.django_db
def test_reset_of_an_account_without_devices_logs_nothing(role_users) -> None:
    member = role_users["member"]
    assert two_factor_reset(user=member, by=role_users["admin"]) is False
    assert events(member, "two_factor_reset") == 0


@pytest.mark.django_db
def test_required_roles_follow_the_setting(role_users, password, settings) -> None:
    settings.TWO_FACTOR_REQUIRED_ROLES = ["member"]
    client = Client()
    password_step(client, role_users["member"], password)
    assert client.get(DASHBOARD)["Location"] == SETUP
    clerk = Client()
    password_step(clerk, role_users["clerk"], password)
    assert clerk.get(DASHBOARD).status_code == 200


@pytest.mark.django_db
def test_the_help_page_explains_it(client, settings) -> None:
    settings.TEMPORARY_PASSWORD_HOURS = 48
    page = client.get(reverse("portal:help")).content.decode()
    assert "Xác thực hai bước: tại «Tài khoản của tôi»" in page
    assert "chỉ dùng được trong 48 giờ" in page
    assert "Đăng xuất mọi nơi khác" in page
    assert "Đặt lại xác thực hai bước" in page


@pytest.mark.django_db(transaction=True)
def test_whether_an_account_has_an_authenticator_is_read_once_and_again_when_it_changes(
    role_users,
) -> None:
    """A session without a code asks on every request whether its account has an authenticator:
    kept in the cache, and asked again as soon as a device is added, confirmed or removed (also
    outside the enrolment pages, as the admin's reset does)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = role_users["member"]
    client = Client()
    client.force_login(member)

    def devices_asked() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            status = client.get(DASHBOARD).status_code
        return status, sum('"otp_totp_totpdevice"' in q["sql"] for q in queries)

    assert devices_asked() == (200, 1)
    assert devices_asked() == (200, 0)

    device = TOTPDeviceFactory(user=member, confirmed=False)
    assert devices_asked() == (200, 1)  # a device not confirmed yet is no authenticator
    device.confirmed = True
    device.save()
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(CODE_STEP)

    TOTPDevice.objects.filter(user=member).delete()
    assert devices_asked() == (200, 1)
