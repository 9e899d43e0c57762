"""Who checks a password and who answers "may this account ...": the passwords in the accounts'
table, the answers from the apps' rules alone. Django's permission tables (no row is ever kept
in them) are read by no request."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

PERMISSION_TABLES = ("auth_permission", "auth_group", "_user_permissions", "_groups")


def permission_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if any(table in q["sql"] for table in PERMISSION_TABLES)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url"),
    [
        # The menu asks rules that are false for these roles (statistics, tasks, the admin).
        ("member", reverse("portal:dashboard")),
        ("unit_clerk", reverse("meetings:list")),
        ("admin", reverse("admin:index")),
        ("admin", reverse("admin:accounts_user_changelist")),
    ],
)
def test_signed_in_pages_read_no_permission_table(client_for, role, url) -> None:
    client = client_for(role)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert permission_queries(queries) == []


@pytest.mark.django_db
def test_the_rules_alone_answer_and_django_s_permission_rows_grant_nothing(role_users) -> None:
    """A permission row given by hand (nobody here keeps them) opens nothing: the rules decide."""
    from django.contrib.auth.models import Permission

    member = role_users["member"]
    member.user_permissions.add(Permission.objects.get(codename="view_loginevent"))
    member = type(member).objects.get(pk=member.pk)
    assert not member.has_perm("accounts.view_loginevent")
    assert member.get_all_permissions() == set()
    assert role_users["admin"].has_perm("accounts.view_loginevent")
    assert role_users["admin"].has_module_perms("accounts")
    assert not member.has_module_perms("accounts")


@pytest.mark.django_db
def test_a_password_still_signs_in(role_users, password) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "member1", "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(role_users["member"].pk)
    assert client.session[BACKEND_SESSION_KEY] in settings.AUTHENTICATION_BACKENDS
    assert client.get(reverse("portal:dashboard")).status_code == 200
    wrong = Client().post(reverse("accounts:login"), {"username": "member1", "password": "sai"})
    assert wrong.status_code == 200 and "_auth_user_id" not in wrong.client.session


@pytest.mark.django_db
def test_a_session_signed_in_before_the_backend_changed_stays_signed_in(role_users) -> None:
    """Sessions made while Django's ModelBackend checked passwords name it: after the upgrade they
    are still signed in (nobody is cut off by an upgrade)."""
    client = Client()
    client.force_login(role_users["member"])
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user == role_users["member"]


@pytest.mark.django_db
def test_an_accounts_answers_are_djangos_from_backends_made_once(
    role_users, meetings, monkeypatch, settings
) -> None:
    """User.has_perm answers as Django's own loop over the backends does, for every role and
    rules of the apps with and without an object, and makes the backends once per process; other
    backends in the settings are asked instead, and one that refuses (PermissionDenied) ends
    the question."""
    from django.contrib.auth import models as auth_models
    from django.core.exceptions import PermissionDenied

    from accounts import models as account_models

    perms = [
        "portal.view_dashboard",
        "meetings.add_meeting",
        "meetings.organise_meeting",
        "meetings.view_meeting",
        "meetings.change_meeting",
        "statistics.view_statistics",
        "tasks.view_unit_board",
        "accounts.nothing_of_the_kind",
    ]
    from meetings.models import Meeting

    objects = [None, *(m for m in meetings.values() if isinstance(m, Meeting))]
    answers = set()
    for user in role_users.values():
        for perm in perms:
            for obj in objects:
                django_s = auth_models.PermissionsMixin.has_perm(user, perm, obj)
                assert user.has_perm(perm, obj) == django_s, (user.username, perm, obj)
                answers.add(django_s)
    assert answers == {True, False}
    made = []
    real = account_models.load_backend
    monkeypatch.setattr(account_models, "load_backend", lambda p: made.append(p) or real(p))
    account_models._permission_backends.cache_clear()
    clerk = role_users["clerk"]
    for _ in range(3):
        assert clerk.has_perm("meetings.add_meeting")
    assert made == list(settings.AUTHENTICATION_BACKENDS)
    # Other backends: asked instead.
    settings.AUTHENTICATION_BACKENDS = ["accounts.backends.PasswordBackend"]
    assert not clerk.has_perm("meetings.add_meeting")

    class Refusing:
        def has_perm(self, user, perm, obj=None):
            raise PermissionDenied

    monkeypatch.setattr(
        account_models, "load_backend", lambda p: Refusing() if "x" in p else real(p)
    )
    settings.AUTHENTICATION_BACKENDS = ["x.Refusing", "accounts.backends.RulesBackend"]
    assert not clerk.has_perm("meetings.add_meeting")
