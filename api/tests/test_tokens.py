"""Personal access tokens: stored hashed, shown once, scoped, expiring, revocable, audited; the
account page that makes and revokes them."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api import selectors, services
from api.models import AccessToken

ME = "/api/v1/me"


def _bearer(plain: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def test_token_is_stored_hashed_only(role_users) -> None:
    token, plain = services.token_create(
        owner=role_users["member"], name="Ứng dụng di động", scope="read", days=90
    )
    assert plain.startswith(f"hkg_{token.prefix}_") and len(plain) > 40
    row = AccessToken.objects.filter(pk=token.pk).values().get()
    assert plain not in {str(v) for v in row.values()}
    assert not any(plain.split("_", 2)[2] in str(v) for v in row.values())
    assert row["secret_hash"] == services.hash_secret(plain)
    assert row["expires_at"] - row["created_at"] == timedelta(days=90)
    # The creation is audited with the prefix, never the token.
    entry = LogEntry.objects.get(
        object_pk=str(token.pk), additional_data__event="api_token_created"
    )
    assert entry.actor == role_users["member"]
    assert entry.additional_data["token"] == token.prefix
    assert plain not in str(entry.additional_data)


def test_the_token_authenticates_and_names_the_account(role_users) -> None:
    token, plain = services.token_create(
        owner=role_users["member"], name="Điện thoại", scope="read", days=30
    )
    response = _bearer(plain).get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "member1"
    assert body["scope"] == "read" and body["token_prefix"] == token.prefix
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(role_users) -> None:
    token, plain = services.token_create(
        owner=role_users["member"], name="A", scope="read", days=30
    )
    client = _bearer(plain)
    client.get(ME)
    token.refresh_from_db()
    first = token.last_used_at
    client.get(ME)
    token.refresh_from_db()
    assert token.last_used_at == first
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(ME)
    token.refresh_from_db()
    assert token.last_used_at > first


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer hkg_",
        "Bearer hkg_00000000_khong-dung",
        "Bearer " + "x" * 5000,
        "Bearer <script>alert(1)</script>",
    ],
)
def test_missing_or_wrong_token_is_401_in_vietnamese(role_users, header) -> None:
    client = Client(HTTP_AUTHORIZATION=header) if header is not None else Client()
    response = client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "mã truy cập" in body["message"]


def test_a_right_prefix_with_a_wrong_secret_is_refused(role_users) -> None:
    token, plain = services.token_create(
        owner=role_users["member"], name="A", scope="read", days=30
    )
    forged = plain[:-4] + ("aaaa" if not plain.endswith("aaaa") else "bbbb")
    assert _bearer(forged).get(ME).status_code == 401
    assert _bearer(plain).get(ME).status_code == 200


def test_expired_token_is_401(role_users) -> None:
    token, plain = services.token_create(owner=role_users["member"], name="A", scope="read", days=1)
    assert _bearer(plain).get(ME).status_code == 200
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _bearer(plain).get(ME).status_code == 401
    assert selectors.token_for(plain) is None


def test_revoked_token_is_401_and_audited(role_users) -> None:
    member = role_users["member"]
    token, plain = services.token_create(owner=member, name="A", scope="write", days=30)
    services.token_revoke(token=token, by=member)
    first = token.revoked_at
    assert first is not None
    services.token_revoke(token=token, by=member)  # twice: harmless, the first moment kept
    assert token.revoked_at == first
    assert _bearer(plain).get(ME).status_code == 401
    assert (
        LogEntry.objects.filter(
            object_pk=str(token.pk), additional_data__event="api_token_revoked"
        ).count()
        == 1
    )


def test_a_password_reset_revokes_the_accounts_tokens(role_users) -> None:
    from accounts.services import password_reset_to_temporary

    member = role_users["member"]
    _, first = services.token_create(owner=member, name="Văn bản", scope="write", days=30)
    _, second = services.token_create(owner=member, name="Điện thoại", scope="read", days=30)
    _, others = services.token_create(owner=role_users["clerk"], name="A", scope="read", days=30)
    password_reset_to_temporary(user=member, by=role_users["admin"])
    assert _bearer(first).get(ME).status_code == 401
    assert _bearer(second).get(ME).status_code == 401
    assert _bearer(others).get(ME).status_code == 200
    revoked = LogEntry.objects.filter(additional_data__event="api_token_revoked")
    assert revoked.count() == 2
    assert {entry.actor for entry in revoked} == {role_users["admin"]}


def test_a_deactivated_accounts_token_is_401(role_users) -> None:
    member = role_users["member"]
    _, plain = services.token_create(owner=member, name="A", scope="read", days=30)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert _bearer(plain).get(ME).status_code == 401


def test_lifetime_is_bounded(role_users) -> None:
    from django.core.exceptions import ValidationError

    for days in (0, 366, 10_000):
        with pytest.raises(ValidationError):
            services.token_create(owner=role_users["member"], name="A", scope="read", days=days)
    assert not AccessToken.objects.exists()


def test_a_session_is_not_a_token(client_for) -> None:
    """Signed in on the pages, the API still asks for a token: no cookie-borne API calls (CSRF)."""
    response = client_for("clerk").get("/api/v1/meetings")
    assert response.status_code == 401


# ---- the account's page ------------------------------------------------------------------------
PAGE = "/tai-khoan/api/"


def test_page_creates_a_token_shown_once(client_for, role_users) -> None:
    client = client_for("member")
    response = client.post(PAGE, {"name": "Hệ thống văn bản", "scope": "read", "days": "90"})
    assert response.status_code == 200
    token = AccessToken.objects.get(owner=role_users["member"])
    plain = response.context["created"]["plain"]
    assert plain.encode() in response.content
    assert token.scope == "read" and token.name == "Hệ thống văn bản"
    assert (token.expires_at - token.created_at).days == 90
    # Shown once: the list shows the prefix, never the token again.
    again = client.get(PAGE)
    assert token.prefix.encode() in again.content
    assert plain.encode() not in again.content
    assert _bearer(plain).get(ME).status_code == 200


def test_page_refuses_a_lifetime_beyond_a_year(client_for) -> None:
    response = client_for("member").post(PAGE, {"name": "A", "scope": "read", "days": "400"})
    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    assert not AccessToken.objects.exists()


def test_page_lists_only_own_tokens(client_for, role_users) -> None:
    services.token_create(owner=role_users["clerk"], name="Của văn thư", scope="write", days=30)
    services.token_create(owner=role_users["member"], name="Của tôi", scope="read", days=30)
    response = client_for("member").get(PAGE)
    assert "Của tôi" in response.content.decode()
    assert "Của văn thư" not in response.content.decode()


def test_revoke_from_the_page(client_for, role_users) -> None:
    token, plain = services.token_create(
        owner=role_users["member"], name="A", scope="read", days=30
    )
    response = client_for("member").post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _bearer(plain).get(ME).status_code == 401


@pytest.mark.parametrize("role", ["clerk", "admin", "outsider"])
def test_nobody_else_revokes_a_token(client_for, role_users, role) -> None:
    token, _ = services.token_create(owner=role_users["member"], name="A", scope="read", days=30)
    response = client_for(role).post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_page_wrong_method_and_anonymous(client_for, role_users) -> None:
    token, _ = services.token_create(owner=role_users["member"], name="A", scope="read", days=30)
    assert client_for("member").get(reverse("api:token_revoke", args=[token.pk])).status_code == 405
    assert client_for("member").put(PAGE).status_code == 405
    anonymous = client_for("anonymous")
    assert anonymous.get(PAGE).status_code == 302
    assert anonymous.post(PAGE, {"name": "A", "scope": "read", "days": "30"}).status_code == 302
    assert AccessToken.objects.count() == 1


def test_account_page_links_to_the_api_page(client_for) -> None:
    response = client_for("member").get(reverse("accounts:account"))
    assert PAGE.encode() in response.content
