"""The anonymous pages come from the cache, and every change of what they show is there at the
next request: publish, edit, postpone, cancel, make non-public, delete, rename the room."""

from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogs.models import Location
from meetings import services
from meetings.models import Meeting
from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.django_db

PAGES = {
    "home": lambda m: reverse("portal:home"),
    "schedule": lambda m: reverse("meetings:schedule") + "?period=all",
    "public_meeting": lambda m: reverse("meetings:public_detail", args=[m.pk]),
    "public_feed": lambda m: reverse("calendars:public_feed"),
}


def _invitees(meeting: Meeting) -> services.Invitees:
    return services.Invitees(units=[i.unit for i in meeting.invitations.filter(unit__isnull=False)])


def _today(meeting: Meeting, by) -> Meeting:
    """Move the meeting to a few minutes from now, so that the home page (today's meetings) lists
    it too: a few minutes before now in the last minutes of a day, so that it stays today's."""
    now = timezone.now()
    start = now + timedelta(minutes=5)
    if timezone.localdate(start) != timezone.localdate(now):
        start = now - timedelta(minutes=5)
    return services.meeting_update(
        meeting=meeting,
        by=by,
        data={"start_at": start, "end_at": start + timedelta(hours=1)},
        revision=meeting.revision,
        invitees=_invitees(meeting),
    )


@pytest.fixture
def shown(role_users, department):
    clerk = role_users["clerk"]
    meeting = make_meeting(by=clerk, title="Họp chuyển đổi số", units=[department], days_ahead=1)
    publish(meeting, clerk)
    meeting.refresh_from_db()
    return _today(meeting, clerk)


def _get(url: str) -> str:
    response = Client().get(url)
    assert response.status_code in {200, 404}, url
    return response.content.decode() if response.status_code == 200 else ""


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_second_visit_costs_no_query(shown, page):
    url = PAGES[page](shown)
    first = _get(url)
    assert "Họp chuyển đổi số" in first
    with CaptureQueriesContext(connection) as queries:
        again = _get(url)
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert "Họp chuyển đổi số" in again


def _edit(meeting: Meeting, by, **data) -> Meeting:
    meeting.refresh_from_db()
    return services.meeting_update(
        meeting=meeting, by=by, data=data, revision=meeting.revision, invitees=_invitees(meeting)
    )


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_change_shows_at_once(shown, role_users, page):
    clerk = role_users["clerk"]
    url = PAGES[page](shown)
    assert "Họp chuyển đổi số" in _get(url)

    _edit(shown, clerk, title="Họp chuyển đổi số (sửa)")
    assert "Họp chuyển đổi số (sửa)" in _get(url)

    room = Location.objects.create(name="Phòng họp Hoa Sen", unit=clerk.unit)
    _edit(shown, clerk, location=room)
    assert "Phòng họp Hoa Sen" in _get(url)
    room.name = "Phòng họp Hoa Mai"
    room.save()
    assert "Phòng họp Hoa Mai" in _get(url)

    before = _get(url)
    shown.refresh_from_db()
    services.meeting_postpone(
        meeting=shown, by=clerk, reason="Trùng lịch", start_at=None, end_at=None
    )
    after = _get(url)
    assert after != before
    if page in {"schedule", "public_meeting"}:
        assert "Hoãn" in after

    shown.refresh_from_db()
    services.meeting_cancel(meeting=shown, by=clerk, reason="Không còn cần thiết")
    body = _get(url)
    assert body != after
    if page == "public_feed":
        assert "STATUS:CANCELLED" in body
    elif page in {"schedule", "public_meeting"}:
        assert "Huỷ" in body

    _edit(shown, clerk, is_public=False)
    assert "Họp chuyển đổi số" not in _get(url)


def test_a_new_meeting_and_a_deleted_one_show_at_once(role_users, department):
    clerk = role_users["clerk"]
    url = PAGES["schedule"](None)
    assert "Họp về đường tỉnh 793" not in _get(url)
    meeting = make_meeting(by=clerk, title="Họp về đường tỉnh 793", units=[department])
    assert "Họp về đường tỉnh 793" not in _get(url)  # a draft is not public
    publish(meeting, clerk)
    assert "Họp về đường tỉnh 793" in _get(url)
    # Published records are kept for months before they may be deleted: make it an old one.
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=timezone.now() - timedelta(days=400))
    meeting.refresh_from_db()
    services.meeting_delete(meeting=meeting, by=role_users["admin"], reason="Tạo nhầm")
    assert "Họp về đường tỉnh 793" not in _get(url)


def test_each_visitor_gets_a_csrf_token_of_its_own(shown):
    """The cached page's language form works for every visitor, not only the first."""
    url = PAGES["home"](shown)
    _get(url)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token != "__public_page_csrf_token__"
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    english = visitor.get(url).content.decode()
    assert 'lang="en"' in english


def test_signed_in_readers_are_never_served_from_the_cache(shown, client_for, role_users):
    url = PAGES["schedule"](shown)
    assert role_users["member"].get_short_name() not in _get(url)  # now in the cache
    page = client_for("member").get(url).content.decode()
    assert role_users["member"].get_short_name() in page
    assert role_users["member"].get_short_name() not in _get(url)


def test_a_pending_message_is_shown_to_its_reader_only(shown):
    """A visitor with a message waiting (in the messages cookie) gets a page of its own, and
    that page is not cached for the next visitor."""
    url = PAGES["schedule"](shown)
    storage = CookieStorage(RequestFactory().get(url))
    storage.add(messages.INFO, "Thông báo dành riêng cho bạn")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor = Client()
    visitor.cookies["messages"] = carrier.cookies["messages"].value
    assert "Thông báo dành riêng cho bạn" in visitor.get(url).content.decode()
    assert "Thông báo dành riêng cho bạn" not in _get(url)
