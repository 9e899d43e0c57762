"""The count of an account's meeting list comes with its page when the page's query reads every
one of its meetings anyway (`COUNT(*) OVER ()`, meetings.selectors.reads_every_row): one query,
the same count as counted apart; an organising unit's clerk's list, whose page stops in the start
index, and a search's parts are counted apart as before."""

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models import Window as Over
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.paging import Window
from meetings.models import Meeting
from meetings.selectors import (
    listed_by_invitations,
    meetings_visible_to,
    reads_every_row,
    with_row_data,
)
from meetings.tests.factories import make_meeting

pytestmark = pytest.mark.django_db

LIST = reverse("meetings:list")


def meeting_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "meetings_meeting"' in q["sql"]]


def pager(page: str) -> str:
    return re.search(r'page-item active"><span class="page-link">([^<]+)<', page).group(1).strip()


@pytest.fixture
def many(role_users, department) -> list[Meeting]:
    """55 published meetings inviting the department: two pages of 50."""
    clerk = role_users["clerk"]
    made = [
        make_meeting(by=clerk, units=[department], title=f"Họp số {n}", days_ahead=n)
        for n in range(1, 56)
    ]
    Meeting.objects.filter(pk__in=[m.pk for m in made]).update(status=Meeting.Status.PUBLISHED)
    return made


def test_a_units_list_walks_its_invitations_and_counts_them(
    client_for, role_users, department, other_department, many
):
    """A unit's list as it opens (meetings.selectors.InvitedMeetings): its page read from its
    invitations in start order, its count from them, the same meetings as its visibility: no
    draft, no deleted meeting, a cancelled one kept; once the account is also the secretary of
    another meeting, the list is read the general way and shows that one too."""
    unit = role_users["unit_clerk"]
    clerk = role_users["clerk"]
    assert reads_every_row(unit) and listed_by_invitations(unit)
    draft = make_meeting(by=clerk, units=[department], title="Dự thảo chưa phát hành")
    gone = make_meeting(by=clerk, units=[department], title="Họp đã xoá")
    Meeting.objects.filter(pk=gone.pk).update(
        status=Meeting.Status.PUBLISHED, deleted_at=gone.start_at
    )
    Meeting.objects.filter(pk=many[0].pk).update(status=Meeting.Status.CANCELLED)
    client = client_for("unit_clerk")
    client.get(LIST)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(LIST).content.decode()
    read = meeting_queries(queries)
    page_query = [sql for sql in read if '"meetings_meeting"."title"' in sql]
    assert len(page_query) == 1 and "meetings_invitation" in page_query[0]
    assert "OVER ()" not in page_query[0]
    assert pager(first) == "1 / 2"
    second = client.get(LIST, {"page": 2}).content.decode()
    assert pager(second) == "2 / 2"
    assert second.count('class="list-group-item') == 5
    shown = first + second
    assert draft.title not in shown and gone.title not in shown
    # Newest first, across the two pages; the cancelled one is still listed.
    assert shown.index("Họp số 55") < shown.index("Họp số 54") < shown.index("Họp số 1<")
    expected = list(
        meetings_visible_to(unit).order_by("-start_at", "-id").values_list("title", flat=True)
    )
    assert [t for t in expected if t in shown] == expected and len(expected) == 55
    # With a filter the page reads every row the general way: its count comes with it.
    with CaptureQueriesContext(connection) as queries:
        filtered = client.get(LIST, {"tu": "", "to_chuc": clerk.unit_id})
    assert pager(filtered.content.decode()) == "1 / 2"
    assert any("OVER ()" in sql for sql in meeting_queries(queries))
    # The secretary of a meeting its unit is not invited to: read the general way, shown.
    theirs = make_meeting(by=clerk, units=[other_department], title="Họp có thư ký là đơn vị")
    Meeting.objects.filter(pk=theirs.pk).update(status=Meeting.Status.PUBLISHED, secretary=unit)
    assert not listed_by_invitations(unit)
    pages = client.get(LIST).content.decode() + client.get(LIST, {"page": 2}).content.decode()
    assert theirs.title in pages and draft.title not in pages


def test_the_count_on_the_rows_is_the_count_apart(role_users, many):
    unit = role_users["unit_clerk"]
    rows = with_row_data(meetings_visible_to(unit), unit).order_by("-start_at", "-id")
    apart = Window(rows, 1, 20, count_order=("start_at",))
    counted = rows.annotate(listed=Over(Count("pk")))
    on_rows = Window(counted, 1, 20, counted="listed")
    assert on_rows.count == apart.count == 55
    capped = Window(
        rows.annotate(listed=Over(Count("pk"))), 1, 20, count_limit=30, counted="listed"
    )
    assert capped.count == 31 and capped.count_more and capped.num_pages is None
    assert Window(rows, 1, 20, count_limit=30).count == 31


def test_the_organising_clerk_and_a_search_count_apart(client_for, role_users, many):
    clerk = role_users["clerk"]
    assert not reads_every_row(clerk)
    with CaptureQueriesContext(connection) as queries:
        page = client_for("clerk").get(LIST).content.decode()
    assert pager(page) == "1 / 2"
    assert all("OVER ()" not in sql for sql in meeting_queries(queries))
    with CaptureQueriesContext(connection) as queries:
        searched = client_for("unit_clerk").get(LIST, {"q": "Họp số"}).content.decode()
    assert "Tìm thấy 55 cuộc họp" in searched
    assert all("OVER ()" not in sql for sql in meeting_queries(queries))


def test_a_search_counts_to_its_own_limit_and_the_pager_goes_on(
    client_for, role_users, many, monkeypatch
):
    """A search's results are counted up to SEARCH_COUNT_LIMIT (then "more than"), a list
    without words up to COUNT_LIMIT; past a search's count the pager still leads page by page."""
    monkeypatch.setattr("meetings.search.SEARCH_COUNT_LIMIT", 52)
    client = client_for("unit_clerk")
    searched = client.get(LIST, {"q": "Họp số"}).content.decode()
    assert "Tìm thấy hơn 52 cuộc họp; thêm từ khoá hoặc bộ lọc để thu hẹp." in searched
    assert pager(searched) == "Trang 1"
    assert "page=2" in searched
    second = client.get(LIST, {"q": "Họp số", "page": 2}).content.decode()
    assert second.count('class="list-group-item') == 5
    # Words that fill no more than the limit are counted exactly; a list without words keeps
    # the lists' own limit.
    monkeypatch.setattr("meetings.search.SEARCH_COUNT_LIMIT", 55)
    assert "Tìm thấy 55 cuộc họp" in client.get(LIST, {"q": "Họp số"}).content.decode()
    monkeypatch.setattr("meetings.search.SEARCH_COUNT_LIMIT", 2)
    assert pager(client.get(LIST).content.decode()) == "1 / 2"
