"""On PostgreSQL at a generated 20 000 meetings, the queries behind the lists, dashboards,
calendar and public schedule read meetings and invitations through indexes: no sequential scan
of either table in any plan. The queries are the ones the pages really run (captured from the
requests), explained with the planner's statistics of the generated data."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.tests.factories import signed_in_client
from portal.generate import Size, generate

pytestmark = pytest.mark.django_db

WATCHED = {"meetings_meeting", "meetings_invitation"}


def _seq_scans(plan: dict) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in WATCHED:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += _seq_scans(child)
    return found


def _pages(client: Client, paths: list[str]) -> list[tuple[str, str]]:
    found = []
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
            found += [
                (path, q["sql"])
                for q in captured.captured_queries
                if q["sql"].startswith("SELECT") and any(t in q["sql"] for t in WATCHED)
            ]
    return found


def test_lists_and_dashboards_use_indexes_at_20000_meetings():
    if connection.vendor != "postgresql":
        pytest.skip("the plans asked about are PostgreSQL's")
    generate(
        Size(meetings=20_000, units=200, per_meeting=10, sign_ins=100, showcase=False),
        progress=lambda *args: None,
        count_figures=False,  # no report is asked here
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    clerk = User.objects.get(username="vanthu")
    unit = User.objects.filter(username__regex=r"^b[0-9]+$").order_by("pk")[1]
    pages = ["/bang-dieu-khien/", "/cuoc-hop/", "/cuoc-hop/?page=2"]
    search = "/cuoc-hop/?q=giao+ban"
    queries = []
    # Not the searches over the whole table (the organising clerk's: every meeting here is the
    # office's; the public's: every public meeting): they rank title matches first, and the
    # generator's forty words match half the meetings, so reading the table is their plan. A
    # unit's search, over what it may see, is asked.
    for user, paths in [(clerk, pages), (unit, [*pages, search, "/lich/tuan/"])]:
        client = signed_in_client(user)
        queries += _pages(client, paths)
    queries += _pages(Client(), ["/lich-hop/", "/lich-hop/?period=all"])
    assert len(queries) >= 12
    scanned = {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"  # as config.settings sets it
        for path, sql in queries:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")  # the pages' own SQL, no user input
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            if tables := _seq_scans(plan[0]["Plan"]):
                scanned[f"{path}: {sql[:200]}"] = tables
    assert scanned == {}
