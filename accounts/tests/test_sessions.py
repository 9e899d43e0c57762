"""The account's sessions (B8): listed on the account page, signed out one by one or all others;
ended by a password change (but the one making it), an admin reset and a deactivation. Also the
temporary password's expiry and the e-mail sent when a password is reset or changed."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginEvent, User, UserSession
from accounts.services import account_deactivate, password_change, password_reset_to_temporary
from accounts.sessions import device_label
from accounts.tests.factories import TOTPDeviceFactory
from notifications.delivery import deliver
from notifications.models import AccountNotice, OutboxMessage

LOGIN = reverse("accounts:login")
DASHBOARD = reverse("portal:dashboard")
ACCOUNT = reverse("accounts:account")
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def signed_in(user: User, password: str, agent: str = FIREFOX, ip: str = "10.0.0.1") -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"username": user.username, "password": password})
    assert response["Location"] == DASHBOARD
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(DASHBOARD).status_code == 200


def store_has(session_key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(session_key)


@pytest.mark.django_db
def test_the_account_page_lists_the_sessions_and_names_this_one(role_users, password) -> None:
    member = role_users["member"]
    desk = signed_in(member, password, FIREFOX, "10.0.0.1")
    phone = signed_in(member, password, IPHONE, "10.0.0.2")
    page = desk.get(ACCOUNT).content.decode()
    assert "Các phiên đang đăng nhập" in page
    assert "Firefox 128 trên Windows" in page
    assert "Mobile Safari 17 trên iOS, iPhone" in page
    assert "10.0.0.2" in page
    assert page.count("Thiết bị này") == 1
    rows = page.split('class="session-row"')[1:]
    assert "Thiết bị này" in rows[0] and "Firefox" in rows[0]
    phone_row = UserSession.objects.get(session_key=phone.session.session_key)
    assert reverse("accounts:session_end", args=[phone_row.pk]) in page
    # Another account's sessions are not listed.
    signed_in(role_users["unit_leader"], password)
    assert desk.get(ACCOUNT).content.decode().count('class="session-row"') == 2


@pytest.mark.django_db
def test_signing_one_session_out(role_users, password) -> None:
    member = role_users["member"]
    desk = signed_in(member, password)
    phone = signed_in(member, password, IPHONE)
    key = phone.session.session_key
    row = UserSession.objects.get(session_key=key)
    url = reverse("accounts:session_end", args=[row.pk])
    assert desk.get(url).status_code == 405
    # Somebody else's session does not exist for them.
    assert signed_in(role_users["unit_leader"], password).post(url).status_code == 404
    assert is_signed_in(phone)

    response = desk.post(url)
    assert response["Location"] == ACCOUNT
    assert not store_has(key)
    assert not UserSession.objects.filter(pk=row.pk).exists()
    assert not is_signed_in(phone)
    assert is_signed_in(desk)


@pytest.mark.django_db
def test_signing_all_others_out(role_users, password) -> None:
    member = role_users["member"]
    desk = signed_in(member, password)
    others = [signed_in(member, password, IPHONE) for _ in range(2)]
    leader = signed_in(role_users["unit_leader"], password)
    url = reverse("accounts:sessions_end_others")
    assert desk.get(url).status_code == 405
    response = desk.post(url, follow=True)
    assert "Đã đăng xuất 2 phiên khác." in response.content.decode()
    assert is_signed_in(desk)
    assert not any(is_signed_in(other) for other in others)
    assert is_signed_in(leader)
    assert list(UserSession.objects.filter(user=member).values_list("session_key", flat=True)) == [
        desk.session.session_key
    ]


@pytest.mark.django_db
def test_signing_out_forgets_the_session(role_users, password) -> None:
    client = signed_in(role_users["member"], password)
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.exists()


@pytest.mark.django_db
def test_last_seen_is_written_at_most_once_a_minute(role_users, password) -> None:
    client = signed_in(role_users["member"], password)
    row = UserSession.objects.get()
    long_ago = timezone.now() - timedelta(minutes=5)
    UserSession.objects.filter(pk=row.pk).update(last_seen_at=long_ago, created_at=long_ago)
    client.get(DASHBOARD)
    row.refresh_from_db()
    assert row.last_seen_at == long_ago, "within the minute of the sign-in, nothing is written"
    cache.clear()  # the minute's mark has expired
    client.get(DASHBOARD)
    row.refresh_from_db()
    seen = row.last_seen_at
    assert seen > long_ago + timedelta(minutes=4)
    assert row.created_at == long_ago
    client.get(DASHBOARD)
    row.refresh_from_db()
    assert row.last_seen_at == seen


@pytest.mark.django_db
def test_a_session_cleared_from_the_store_drops_off_the_list(role_users, password) -> None:
    member = role_users["member"]
    desk = signed_in(member, password)
    gone = signed_in(member, password, IPHONE)
    import_module(settings.SESSION_ENGINE).SessionStore(
        session_key=gone.session.session_key
    ).delete()
    assert desk.get(ACCOUNT).content.decode().count('class="session-row"') == 1
    assert UserSession.objects.filter(user=member).count() == 1


def test_device_label_reads_the_user_agent() -> None:
    assert device_label(FIREFOX) == "Firefox 128 trên Windows"
    assert device_label("") == "Không rõ thiết bị"


# ---- what ends sessions --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_password_change_keeps_this_session_and_ends_the_others(role_users, password) -> None:
    member = role_users["member"]
    desk = signed_in(member, password)
    phone = signed_in(member, password, IPHONE)
    new = "Mật-khẩu-mới-2026!"
    response = desk.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert is_signed_in(desk)
    assert not is_signed_in(phone)
    rows = UserSession.objects.filter(user=member)
    # The row follows the session's new key (Django gives one on a password change).
    assert list(rows.values_list("session_key", flat=True)) == [desk.session.session_key]
    assert not store_has(phone.session.session_key or "x")


@pytest.mark.django_db
def test_an_admin_reset_ends_every_session_and_removes_the_devices(
    role_users, password, settings
) -> None:
    member = role_users["member"]
    clients = [signed_in(member, password), signed_in(member, password, IPHONE)]
    TOTPDeviceFactory(user=member)
    password_reset_to_temporary(user=member, by=role_users["admin"])
    assert not any(is_signed_in(client) for client in clients)
    assert not UserSession.objects.filter(user=member).exists()
    assert not member.totpdevice_set.exists()
    member.refresh_from_db()
    assert member.check_password(settings.TEMPORARY_PASSWORD)


@pytest.mark.django_db
def test_deactivation_ends_every_session(client_for, role_users, password) -> None:
    from accounts.tests.test_admin import action

    leader, member = role_users["unit_leader"], role_users["member"]
    leader_client = signed_in(leader, password)
    action(client_for("admin"), "user", "deactivate_accounts", [leader.pk])
    assert not UserSession.objects.filter(user=leader).exists()
    assert not store_has(leader_client.session.session_key)

    member_client = signed_in(member, password)
    account_deactivate(user=member, by=role_users["admin"])
    member.refresh_from_db()
    assert not member.is_active
    assert not UserSession.objects.filter(user=member).exists()
    assert not store_has(member_client.session.session_key)


@pytest.mark.django_db
def test_deactivation_in_the_change_form_ends_every_session(
    client_for, role_users, password
) -> None:
    member = role_users["member"]
    member_client = signed_in(member, password)
    admin = client_for("admin")
    url = reverse("admin:accounts_user_change", args=[member.pk])
    form = admin.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "last_login", "date_joined")
    }
    data.update(
        {
            "is_active": "",
            "password_changed_at_0": "",
            "unit": member.unit_id,
            "date_joined_0": "01/01/2026",
            "date_joined_1": "08:00:00",
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list)}
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert not member.is_active
    assert not UserSession.objects.filter(user=member).exists()
    assert not store_has(member_client.session.session_key)


# ---- the temporary password's 72 hours -------------------------------------------------------


@pytest.mark.django_db
def test_the_temporary_password_expires(role_users, settings) -> None:
    user = role_users["unit_clerk"]
    password_reset_to_temporary(user=user, by=role_users["admin"])
    hours = settings.TEMPORARY_PASSWORD_HOURS
    assert hours == 72
    # Just inside the 72 hours: signing in works (and leads to the change page).
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(hours=hours) + timedelta(minutes=5)
    )
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": "abc@123456"})
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))

    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(hours=hours, minutes=1)
    )
    client = Client(REMOTE_ADDR="10.4.4.4")
    response = client.post(LOGIN, {"username": user.username, "password": "abc@123456"})
    assert response.status_code == 200
    assert (
        "Mật khẩu tạm thời đã hết hạn. Hãy đề nghị Trung tâm CNTT đặt lại mật khẩu."
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    event = LoginEvent.objects.get(kind=LoginEvent.Kind.TEMPORARY_EXPIRED)
    assert event.user == user and event.ip_address == "10.4.4.4"

    # A new reset gives 72 hours again.
    password_reset_to_temporary(user=user, by=role_users["admin"])
    response = Client().post(LOGIN, {"username": user.username, "password": "abc@123456"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_expiry_follows_the_setting(role_users, settings) -> None:
    user = role_users["unit_clerk"]
    password_reset_to_temporary(user=user, by=role_users["admin"])
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(hours=2))
    settings.TEMPORARY_PASSWORD_HOURS = 1
    response = Client().post(LOGIN, {"username": user.username, "password": "abc@123456"})
    assert response.status_code == 200
    settings.TEMPORARY_PASSWORD_HOURS = 3
    response = Client().post(LOGIN, {"username": user.username, "password": "abc@123456"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_chosen_password_does_not_expire_that_way(role_users, password) -> None:
    member = role_users["member"]
    User.objects.filter(pk=member.pk).update(
        password_changed_at=timezone.now() - timedelta(hours=100)
    )
    response = Client().post(LOGIN, {"username": member.username, "password": password})
    assert response.status_code == 302


# ---- the e-mail about a password ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_owner_is_told_by_email_of_a_reset_and_a_change(role_users, settings) -> None:
    user = role_users["unit_clerk"]
    password_reset_to_temporary(user=user, by=role_users["admin"])
    notice = AccountNotice.objects.get(user=user)
    assert notice.kind == AccountNotice.Kind.PASSWORD_RESET
    row = OutboxMessage.objects.get(notice=notice)
    assert row.to_email == user.email and row.event_id is None
    # Sent by the worker (the tests run the queue in the request), never inline.
    assert row.status in (OutboxMessage.Status.SENT, OutboxMessage.Status.QUEUED)
    deliver()
    reset_mail = [m for m in mail.outbox if user.email in m.to[0]]
    assert len(reset_mail) == 1
    assert reset_mail[0].subject == f"Mật khẩu tài khoản {user.username} đã được đặt lại"
    assert "72 giờ" in reset_mail[0].body
    assert "báo ngay Trung tâm Công nghệ thông tin" in reset_mail[0].body

    password_change(user=user, new_password="Văn-thư-đơn-vị-2026!")
    deliver()
    changed = [m for m in mail.outbox if "vừa được đổi" in m.subject]
    assert len(changed) == 1
    assert changed[0].to == [f'"{user.full_name}" <{user.email}>']
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 2


@pytest.mark.django_db
def test_no_email_no_message_and_a_rolled_back_change_sends_nothing(role_users) -> None:
    from django.db import transaction

    user = role_users["member"]
    User.objects.filter(pk=user.pk).update(email="")
    user.refresh_from_db()
    password_reset_to_temporary(user=user, by=role_users["admin"])
    assert not OutboxMessage.objects.exists()

    other = role_users["unit_leader"]
    with pytest.raises(RuntimeError), transaction.atomic():
        password_reset_to_temporary(user=other, by=role_users["admin"])
        raise RuntimeError
    assert not OutboxMessage.objects.exists()
    assert not AccountNotice.objects.exists()
