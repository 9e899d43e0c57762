"""Passwords (A4): Argon2, admin reset to the temporary password, forced change, expiry, reuse."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import password_change, password_reset_to_temporary
from accounts.tests.factories import UserFactory

CHANGE_URL = "/tai-khoan/doi-mat-khau/"
NEW_PASSWORD = "Bình-minh-trên-sông-2026"


def change(client: Client, old: str, new: str, confirm: str | None = None):
    return client.post(
        CHANGE_URL, {"old_password": old, "new_password1": new, "new_password2": confirm or new}
    )


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = UserFactory()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.password.startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_reset_forces_a_change_before_anything_else(role_users, settings) -> None:
    user, admin = role_users["unit_clerk"], role_users["admin"]
    password_reset_to_temporary(user=user, by=admin)
    user.refresh_from_db()
    assert user.must_change_password
    assert user.check_password(settings.TEMPORARY_PASSWORD)

    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "abc@123456"}
    )
    # Signing in works, but every page leads to the password change page.
    assert response.status_code == 302
    for url in [
        reverse("portal:dashboard"),
        reverse("feedback:list"),
        reverse("accounts:account"),
        "/",
    ]:
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"] == CHANGE_URL, url
    assert (
        client.get(reverse("portal:dashboard"), HTTP_HX_REQUEST="true")["HX-Redirect"] == CHANGE_URL
    )
    page = client.get(CHANGE_URL)
    assert page.status_code == 200
    assert "vừa được quản trị đặt lại" in page.content.decode()
    # The menu offers only what is reachable: no links that would bounce back here.
    for name in ["portal:dashboard", "feedback:list", "accounts:account"]:
        assert f'href="{reverse(name)}' not in page.content.decode(), name
    assert reverse("accounts:logout") in page.content.decode()
    # Writes are blocked too, not only pages.
    assert (
        client.post(
            reverse("feedback:list"), {"subject": "x", "body": "y", "category": "error"}
        ).status_code
        == 302
    )
    assert not user.feedback.exists()


@pytest.mark.django_db
def test_temporary_password_is_refused_as_the_new_one(role_users) -> None:
    user = role_users["unit_clerk"]
    password_reset_to_temporary(user=user, by=role_users["admin"])
    client = Client()
    client.force_login(user)
    response = change(client, "abc@123456", "abc@123456")
    assert response.status_code == 200
    assert "mật khẩu tạm thời" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password


@pytest.mark.django_db
def test_previous_password_is_refused_after_a_reset(role_users, password) -> None:
    user = role_users["unit_clerk"]
    password_reset_to_temporary(user=user, by=role_users["admin"])
    client = Client()
    client.force_login(user)
    response = change(client, "abc@123456", password)
    assert response.status_code == 200
    assert "khác mật khẩu hiện tại" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("abc@123456")


@pytest.mark.django_db
def test_current_password_is_refused_as_the_new_one(role_users, password) -> None:
    client = Client()
    client.force_login(role_users["member"])
    response = change(client, password, password)
    assert "khác mật khẩu hiện tại" in response.content.decode()


@pytest.mark.django_db
def test_a_good_change_lifts_the_flag_and_is_remembered(role_users, password) -> None:
    user = role_users["unit_clerk"]
    password_reset_to_temporary(user=user, by=role_users["admin"])
    client = Client()
    client.force_login(user)
    before = timezone.now()
    response = change(client, "abc@123456", NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert user.password_changed_at >= before
    # Still signed in after the change (session hash updated), and the dashboard opens.
    assert client.get(reverse("portal:dashboard")).status_code == 200
    # The old password went to the history: it cannot come back later.
    with pytest.raises(Exception, match="khác mật khẩu"):
        password_change(user=user, new_password=password)


@pytest.mark.django_db
def test_history_keeps_only_the_configured_number(role_users, password, settings) -> None:
    settings.PASSWORD_HISTORY_SIZE = 2
    user = role_users["member"]
    passwords = [password] + [f"Mật-khẩu-số-{i}-an-toàn" for i in range(4)]
    for new in passwords[1:]:
        password_change(user=user, new_password=new)
    assert user.password_history.count() == 2
    # The first one is old enough to be used again; the last two are not.
    password_change(user=user, new_password=passwords[0])
    with pytest.raises(Exception, match="khác mật khẩu"):
        password_change(user=user, new_password=passwords[3])


@pytest.mark.django_db
def test_weak_and_mismatched_passwords_get_clear_messages(role_users, password) -> None:
    client = Client()
    client.force_login(role_users["member"])
    short = change(client, password, "Ngan1!").content.decode()
    assert "quá ngắn" in short or "ít nhất 10" in short
    mismatch = change(client, password, NEW_PASSWORD, NEW_PASSWORD + "x").content.decode()
    assert "không giống nhau" in mismatch
    wrong_old = change(client, "sai", NEW_PASSWORD).content.decode()
    assert "không chính xác" in wrong_old
    role_users["member"].refresh_from_db()
    assert role_users["member"].check_password(password)


@pytest.mark.django_db
def test_expired_password_must_be_changed(role_users, settings) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 30
    user = role_users["member"]
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=31))
    client = Client()
    client.force_login(user)
    response = client.get(reverse("portal:dashboard"))
    assert response["Location"] == CHANGE_URL
    assert "quá hạn" in client.get(CHANGE_URL).content.decode()

    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=29))
    assert client.get(reverse("portal:dashboard")).status_code == 200

    settings.PASSWORD_MAX_AGE_DAYS = 0  # expiry switched off
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    assert client.get(reverse("portal:dashboard")).status_code == 200


@pytest.mark.django_db
def test_signing_out_stays_possible_while_a_change_is_due(role_users) -> None:
    user = role_users["member"]
    password_reset_to_temporary(user=user, by=role_users["admin"])
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
