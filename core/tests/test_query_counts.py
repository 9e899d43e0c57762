"""Pages must not run more queries as the data grows (N+1). Each page is measured with a little and
with a lot of data, and the counts must be equal."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import LoginEvent
from accounts.tests.factories import PersonFactory, UnitFactory
from feedback.models import Feedback


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    read_once(queries, response.wsgi_request.user.pk)
    return len(queries)


def read_once(queries: CaptureQueriesContext, user_pk: int) -> None:
    """The session and the signed-in account are each read at most once per request: the session
    from the cache (SESSION_ENGINE cached_db) once it has been read, the account with its unit in
    one query."""
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    sessions = [sql for sql in selects if '"django_session"' in sql]
    assert sessions == [], sessions
    # The account's row (its password hash among its columns), not a count run from it.
    account = re.compile(rf'FROM "accounts_user".* WHERE .*"accounts_user"."id" = {user_pk}\b')
    accounts = [
        sql
        for sql in selects
        if account.search(sql) and '"accounts_user"."password"' in sql and "COUNT(" not in sql
    ]
    assert len(accounts) <= 1, accounts
    units = [sql for sql in selects if re.search(r'^SELECT .* FROM "accounts_unit" WHERE', sql)]
    assert len(units) <= 1, units


def grow(users, n: int) -> None:
    for i in range(n):
        unit = UnitFactory()
        PersonFactory(unit=unit)
        Feedback.objects.create(author=users["member"], subject=f"Góp ý {i}", body="x")
        LoginEvent.objects.create(
            kind="success", user=users["member"], unit=unit, username_tried="member1"
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("member", reverse("portal:dashboard")),
        ("member", reverse("accounts:account")),
        ("member", reverse("feedback:list")),
        ("admin", reverse("admin:accounts_loginevent_changelist")),
        ("admin", reverse("admin:accounts_unit_changelist")),
        ("admin", reverse("admin:accounts_person_changelist")),
        ("admin", reverse("admin:accounts_user_changelist")),
        ("admin", reverse("admin:feedback_feedback_changelist")),
        ("admin", reverse("admin:catalogs_location_changelist")),
    ],
)
def test_query_count_does_not_grow_with_data(client_for, role_users, role, url) -> None:
    client = client_for(role)
    grow(role_users, 5)
    client.get(url)  # the steady state: the menu's to-do count is then kept (portal.menu_count)
    few = count(client, url)
    grow(role_users, 40)
    client.get(url)  # the steady state again: growing may outlast the to-do count's 30 s
    many = count(client, url)
    assert few == many, f"{url}: {few} queries with 5 rows, {many} with 45"
