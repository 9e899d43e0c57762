"""The dashboard's own parts (the to-do list, the account's meetings) are kept for the account
within the minute while nothing is written (core.changes): the next request reads none of their
rows; a meeting published, an invitation answered, a meeting opened for the first time shows at
once. The data is committed in these tests (transaction=True), as in use."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import changes
from meetings.tests.factories import make_meeting, publish
from portal.views import _kept_key

pytestmark = pytest.mark.django_db(transaction=True)

DASHBOARD = reverse("portal:dashboard")
# Tables only the kept parts read: the to-do list's sources and whether a meeting was opened.
OWN_TABLES = ("meetings_receipt", "attendance_reply", "opinions_recipient", "tasks_task")


def visit(client) -> tuple[str, list[str]]:
    """The dashboard's own parts as shown, and the statements the request ran."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(DASHBOARD).content.decode()
    main = page.split('id="viec-can-lam"', 1)[1].split('<div class="row g-3">', 1)[0]
    return main, [q["sql"] for q in queries]


def own_queries(statements: list[str]) -> list[str]:
    return [sql for sql in statements if any(f'"{table}"' in sql for table in OWN_TABLES)]


def new_ones(main: str) -> str:
    """The "new, not yet opened" part of "Cuộc họp của tôi"."""
    mine = main.split('id="mine-heading"', 1)[1]
    return mine.split("Hôm nay", 1)[0]


def test_kept_while_nothing_is_written_and_made_anew_after_each_change(
    client_for, role_users, department
):
    clerk = role_users["clerk"]
    first = publish(
        make_meeting(by=clerk, title="Họp kế hoạch quý I", units=[department], days_ahead=3), clerk
    )
    leader = client_for("unit_leader")

    made, statements = visit(leader)
    assert "Họp kế hoạch quý I" in new_ones(made)
    assert own_queries(statements)
    kept, statements = visit(leader)
    assert kept == made
    assert own_queries(statements) == []
    assert len(statements) < 10

    # Published by the clerk: on the unit's next request.
    publish(
        make_meeting(by=clerk, title="Họp sơ kết công tác", units=[department], days_ahead=4),
        clerk,
    )
    after, statements = visit(leader)
    assert "Họp sơ kết công tác" in after
    assert own_queries(statements)

    # Opened by the account: no longer new, at once.
    leader.get(reverse("meetings:detail", args=[first.pk]))
    opened, _ = visit(leader)
    assert "Họp kế hoạch quý I" not in new_ones(opened)
    assert "Họp kế hoạch quý I" in opened

    # Opened again: the time and count of its views change nothing shown; still kept.
    visit(leader)
    leader.get(reverse("meetings:detail", args=[first.pk]))
    again, statements = visit(leader)
    assert again == opened
    assert own_queries(statements) == []


def test_the_menu_of_a_kept_dashboard_counts_as_its_list(client_for, role_users, department):
    clerk = role_users["clerk"]
    publish(make_meeting(by=clerk, title="Họp giao ban", units=[department], days_ahead=2), clerk)
    leader = client_for("unit_leader")
    for _ in range(2):
        page = leader.get(DASHBOARD).content.decode()
        listed = re.search(r"Việc cần làm \((\d+)\)", page)
        badge = re.search(r"todo-badge[^>]*>(\d+)<", page)
        assert listed and badge
        assert listed.group(1) == badge.group(1) != "0"


def test_kept_for_the_account_language_and_minute_alone(role_users):
    leader, member = role_users["unit_leader"], role_users["member"]
    now = timezone.now().replace(second=10)
    key = _kept_key(leader, now)
    assert key is not None
    assert _kept_key(leader, now.replace(second=50)) == key
    assert _kept_key(member, now) != key
    assert _kept_key(leader, now + timezone.timedelta(minutes=1)) != key
    changes.changed()
    assert _kept_key(leader, now) != key
