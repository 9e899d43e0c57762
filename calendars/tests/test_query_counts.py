"""The calendars and feeds run the same number of SQL queries with 3 and with 30 meetings of
every kind (in a room or online, with a chair, postponed, cancelled, drafts): nothing row by row."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.sessions import seen_mark
from accounts.tests.factories import PersonFactory
from calendars.tests.conftest import feed_url
from meetings import services
from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.django_db

# A week far enough ahead that every meeting can be published, Monday 10/03/2031.
MONDAY = datetime(2031, 3, 10, 7, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def count(client, url: str) -> int:
    cache.clear()  # the page as rendered, not as served from the public pages' cache
    session = client.session
    if session.session_key:
        # The session back in the cache, where every request but a browser's first finds it
        # (SESSION_ENGINE cached_db).
        session.load()
        # "Last seen" is written once a minute; a slow run crossing that minute between two
        # measures would count the write in one of them.
        cache.set(seen_mark(session.session_key), True, 600)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def grow(clerk, department, start: int, n: int) -> None:
    for i in range(start, start + n):
        begins = MONDAY + timedelta(days=i % 7, hours=i % 10)
        extra = (
            {"location": None, "online_link": "https://meet.example/x"}
            if i % 3 == 0
            else {"chair": PersonFactory(unit=clerk.unit)}
        )
        meeting = make_meeting(
            by=clerk,
            units=[department],
            title=f"Họp số {i}",
            start_at=begins,
            end_at=begins + timedelta(hours=1),
            **extra,
        )
        if i % 5 == 4:
            continue  # a draft: only the organiser's calendars show it
        publish(meeting, clerk)
        if i % 5 == 1:
            services.meeting_postpone(
                meeting=meeting, by=clerk, reason="Lùi lịch", start_at=None, end_at=None
            )
        elif i % 5 == 2:
            services.meeting_cancel(meeting=meeting, by=clerk, reason="Không họp nữa")


@pytest.mark.parametrize("role", ["member", "clerk", "anonymous"])
def test_query_counts_do_not_grow_with_the_meetings(
    client_for, role_users, clerk, department, role
):
    client = client_for(role)
    urls = [reverse("calendars:public_feed")]
    if role != "anonymous":
        urls += [
            reverse("calendars:week") + "?ngay=12/03/2031",
            reverse("calendars:month") + "?thang=03/2031",
            reverse("calendars:feed_settings"),
            feed_url(role_users[role]),
        ]
    grow(clerk, department, 0, 3)
    client.get(urls[-1])  # warm up: the first visit to the settings page makes the token
    few = {url: count(client, url) for url in urls}
    grow(clerk, department, 3, 27)
    many = {url: count(client, url) for url in urls}
    assert many == few
