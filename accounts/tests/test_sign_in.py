"""Sign-in, login log (A3) and lockout (A4)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginEvent, User
from accounts.services import account_unlock, login_event_count_download

LOGIN_URL = "/tai-khoan/dang-nhap/"


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_sign_in_is_logged_with_address_and_browser(role_users, password) -> None:
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPad) Safari", REMOTE_ADDR="10.1.2.3")
    response = sign_in(client, "member1", password)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    event = LoginEvent.objects.get(kind=LoginEvent.Kind.SUCCESS)
    assert event.user == role_users["member"]
    assert event.unit == role_users["member"].unit
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == "Mozilla/5.0 (iPad) Safari"
    assert event.session_key == client.session.session_key

    client.post(reverse("accounts:logout"))
    logout = LoginEvent.objects.get(kind=LoginEvent.Kind.LOGOUT)
    assert logout.user == role_users["member"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failure_records_the_name_tried_and_says_so_in_vietnamese(role_users) -> None:
    response = sign_in(Client(), "member1", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    event = LoginEvent.objects.get(kind=LoginEvent.Kind.FAILURE)
    assert event.username_tried == "member1"
    assert event.user == role_users["member"]

    sign_in(Client(), "khong-ton-tai", "x")
    unknown = LoginEvent.objects.filter(
        kind=LoginEvent.Kind.FAILURE, username_tried="khong-ton-tai"
    ).get()
    assert unknown.user is None


@pytest.mark.django_db
def test_inactive_account_cannot_sign_in(role_users, password) -> None:
    user = role_users["member"]
    user.is_active = False
    user.save()
    client = Client()
    response = sign_in(client, "member1", password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_forwarded_address_is_believed_only_behind_a_trusted_proxy(
    role_users, password, settings
) -> None:
    sign_in(Client(REMOTE_ADDR="10.0.0.1"), "member1", password, HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert LoginEvent.objects.latest("id").ip_address == "10.0.0.1"

    settings.TRUSTED_PROXY_COUNT = 1
    sign_in(
        Client(REMOTE_ADDR="10.0.0.1"), "member1", password, HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4"
    )
    assert LoginEvent.objects.latest("id").ip_address == "1.2.3.4"


@pytest.mark.django_db
def test_lockout_after_repeated_failures_then_admin_unlock(role_users, password, settings) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert sign_in(Client(), "member1", "wrong").status_code == 200
    locked = sign_in(Client(), "member1", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tài khoản tạm thời bị khoá" in page
    assert "15 phút" in page
    assert LoginEvent.objects.filter(kind=LoginEvent.Kind.LOCKED, username_tried="member1").exists()

    # Even the right password is refused while locked at this address.
    client = Client()
    assert sign_in(client, "member1", password).status_code == 429
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected.
    assert sign_in(Client(), "clerk1", password).status_code == 302

    account_unlock(user=role_users["member"], by=role_users["admin"])
    client = Client()
    assert sign_in(client, "member1", password).status_code == 302
    assert client.session["_auth_user_id"] == str(role_users["member"].pk)


@pytest.mark.django_db
def test_sign_in_without_csrf_token_is_refused_with_a_clear_page(role_users, password) -> None:
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client, "member1", password)
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    assert not LoginEvent.objects.exists()


@pytest.mark.django_db
def test_next_parameter_cannot_send_the_user_elsewhere(role_users, password) -> None:
    response = Client().post(
        LOGIN_URL + "?next=https://evil.example/",
        {"username": "member1", "password": password, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")


@pytest.mark.django_db
def test_downloads_are_counted_on_the_session_login(role_users, password) -> None:
    client = Client()
    sign_in(client, "member1", password)
    key = client.session.session_key
    login_event_count_download(session_key=key)
    login_event_count_download(session_key=key)
    login_event_count_download(session_key="")
    assert LoginEvent.objects.get(kind=LoginEvent.Kind.SUCCESS).documents_downloaded == 2


@pytest.mark.django_db
def test_login_log_admin_filters_by_account_unit_and_date(
    client_for, role_users, password, department
) -> None:
    sign_in(Client(), "member1", password)
    sign_in(Client(), "clerk1", password)
    admin = client_for("admin")
    url = reverse("admin:accounts_loginevent_changelist")
    by_unit = admin.get(url, {"unit__id__exact": department.pk}).content.decode()
    assert "member1" in by_unit
    assert "clerk1" not in by_unit
    by_account = admin.get(url, {"q": "clerk1"}).content.decode()
    assert "clerk1" in by_account and "member1" not in by_account
    today = timezone.localtime(LoginEvent.objects.first().at)
    by_day = admin.get(
        url, {"at__year": today.year, "at__month": today.month, "at__day": today.day}
    )
    assert "member1" in by_day.content.decode()
    assert "clerk1" not in admin.get(url, {"at__year": today.year - 1}).content.decode()
    assert User.objects.get(username="member1").login_events.count() == 1


@pytest.mark.django_db
def test_a_guesser_elsewhere_cannot_lock_the_owner_out(role_users, password, settings) -> None:
    attacker = "203.0.113.7"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(REMOTE_ADDR=attacker), "member1", "wrong")
    assert sign_in(Client(REMOTE_ADDR=attacker), "member1", password).status_code == 429
    # The owner, at the office, signs in as usual.
    owner = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(owner, "member1", password).status_code == 302
    assert owner.session["_auth_user_id"] == str(role_users["member"].pk)


@pytest.mark.django_db
def test_one_address_trying_many_names_is_locked_at_its_own_limit(
    role_users, password, settings
) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    sprayer = "198.51.100.9"
    names = [f"khong-co-{i}" for i in range(11)]
    for name in names:  # one password, many names: never five for one name
        assert sign_in(Client(REMOTE_ADDR=sprayer), name, "Matkhau@2026").status_code == 200
    # Eleven failures across names: an office behind one address is not blocked by typos.
    assert sign_in(Client(REMOTE_ADDR=sprayer), "clerk1", password).status_code == 302
    locked = sign_in(Client(REMOTE_ADDR=sprayer), "khong-co-11", "Matkhau@2026")
    assert locked.status_code == 429
    assert "địa chỉ mạng này" in locked.content.decode()
    # Now nobody signs in from that address, with the right password or not ...
    client = Client(REMOTE_ADDR=sprayer)
    assert sign_in(client, "member1", password).status_code == 429
    assert "_auth_user_id" not in client.session
    # ... and everybody else does.
    assert sign_in(Client(REMOTE_ADDR="10.1.2.3"), "member1", password).status_code == 302
