"""The personal iCalendar feed (B1) and its settings page: the token is the credential, a new one
kills the old address at once, and a feed holds only what its account may see."""

from datetime import UTC, timedelta

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from calendars.models import CalendarToken
from calendars.tests.conftest import feed_url, summaries
from meetings import services
from meetings.models import Meeting
from meetings.tests.factories import make_document, make_meeting, publish

pytestmark = pytest.mark.django_db


def test_the_feed_has_the_meeting_with_a_stable_uid_and_the_revision_as_sequence(
    feed_of, clerk, role_users, department
) -> None:
    mine = publish(make_meeting(by=clerk, units=[department], title="Họp giao ban"), clerk)
    text, calendar = feed_of(role_users["member"])
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{mine.pk}@{settings.ICAL_DOMAIN}"
    assert int(event["SEQUENCE"]) == mine.revision
    assert str(event["SUMMARY"]) == "Họp giao ban"
    assert event.decoded("DTSTART") == mine.start_at
    # In UTC ("Z"), never floating or in a time zone the program might not know.
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert f"DTSTART:{mine.start_at.astimezone(UTC):%Y%m%dT%H%M%S}Z" in text
    assert event.decoded("DTEND") == mine.end_at
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert role_users["member"].get_full_name() in str(calendar["X-WR-CALNAME"])

    first = mine.revision
    services.meeting_update(
        meeting=mine,
        by=clerk,
        data={"title": "Họp giao ban (đổi giờ)", "start_at": mine.start_at + timedelta(hours=1)},
        revision=mine.revision,
        invitees=services.Invitees(units=[department]),
    )
    mine.refresh_from_db()
    _text, calendar = feed_of(role_users["member"])
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{mine.pk}@{settings.ICAL_DOMAIN}"
    assert int(event["SEQUENCE"]) == mine.revision > first
    assert str(event["SUMMARY"]) == "Họp giao ban (đổi giờ)"
    assert event.decoded("DTSTART") == mine.start_at


def test_a_feed_never_holds_other_accounts_meetings_drafts_or_documents(
    feed_of, clerk, role_users, department, other_department
) -> None:
    mine = publish(make_meeting(by=clerk, units=[department], title="Họp của Sở Tài chính"), clerk)
    make_document(mine, clerk, "Báo cáo mật quý III.pdf")
    theirs = publish(
        make_meeting(by=clerk, units=[other_department], title="Họp của Sở Kế hoạch"), clerk
    )
    make_meeting(by=clerk, units=[department], title="Dự thảo chưa phát hành")

    text, calendar = feed_of(role_users["member"])
    assert summaries(calendar) == [mine.title]
    assert "Báo cáo mật" not in text and "/tai-lieu/" not in text
    _text, calendar = feed_of(role_users["outsider"])
    assert summaries(calendar) == [theirs.title]
    # Not even the organiser's own drafts: a calendar program would keep them after deletion.
    _text, calendar = feed_of(clerk)
    assert sorted(summaries(calendar)) == sorted([mine.title, theirs.title])


def test_the_feed_goes_back_90_days_and_leaves_out_deleted_meetings(
    feed_of, clerk, role_users, department
) -> None:
    recent = publish(make_meeting(by=clerk, units=[department], title="Họp tháng trước"), clerk)
    old = publish(make_meeting(by=clerk, units=[department], title="Họp năm ngoái"), clerk)
    gone = publish(make_meeting(by=clerk, units=[department], title="Họp đã xoá"), clerk)
    now = timezone.now()
    Meeting.objects.filter(pk=recent.pk).update(
        start_at=now - timedelta(days=80), end_at=now - timedelta(days=80) + timedelta(hours=2)
    )
    Meeting.objects.filter(pk=old.pk).update(
        start_at=now - timedelta(days=100), end_at=now - timedelta(days=100) + timedelta(hours=2)
    )
    Meeting.objects.filter(pk=gone.pk).update(deleted_at=now, deleted_reason="Nhập nhầm")
    _text, calendar = feed_of(role_users["member"])
    assert summaries(calendar) == [recent.title]


def test_the_feed_is_private_to_caches_and_answers_head(client, role_users) -> None:
    url = feed_url(role_users["member"])
    response = client.get(url)
    assert response["Cache-Control"] == "private, max-age=300"
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_unknown_tokens_and_inactive_accounts_get_404(client, role_users) -> None:
    url = feed_url(role_users["member"])
    assert client.get(reverse("calendars:feed", args=["khong-ton-tai"])).status_code == 404
    assert client.get(reverse("calendars:feed", args=["x" * 500])).status_code == 404
    role_users["member"].is_active = False
    role_users["member"].save()
    assert client.get(url).status_code == 404


def test_the_settings_page_shows_the_absolute_address_and_keeps_it(client_for, role_users) -> None:
    member = client_for("member")
    page = member.get(reverse("calendars:feed_settings")).content.decode()
    token = CalendarToken.objects.get(user=role_users["member"])
    address = settings.SITE_URL.rstrip("/") + reverse("calendars:feed", args=[token.token])
    assert f'value="{address}"' in page
    assert len(token.token) == 43
    assert "Outlook" in page and "Google Calendar" in page and "Tạo đường dẫn mới" in page
    member.get(reverse("calendars:feed_settings"))
    assert CalendarToken.objects.get(user=role_users["member"]).token == token.token
    # Each account its own address: the clerk's page never shows the member's token.
    other = client_for("clerk").get(reverse("calendars:feed_settings")).content.decode()
    assert token.token not in other


def test_a_new_address_kills_the_old_one_at_once(client, client_for, role_users) -> None:
    member = client_for("member")
    member.get(reverse("calendars:feed_settings"))
    old = CalendarToken.objects.get(user=role_users["member"]).token
    assert client.get(reverse("calendars:feed", args=[old])).status_code == 200

    response = member.post(reverse("calendars:feed_settings"), follow=True)
    assert response.redirect_chain == [(reverse("calendars:feed_settings"), 302)]
    assert "Đã tạo đường dẫn mới" in response.content.decode()
    new = CalendarToken.objects.get(user=role_users["member"]).token
    assert new != old and len(new) == 43
    assert new in response.content.decode() and old not in response.content.decode()
    assert client.get(reverse("calendars:feed", args=[old])).status_code == 404
    assert client.get(reverse("calendars:feed", args=[new])).status_code == 200
    # Audited, without the secret.
    entry = LogEntry.objects.filter(additional_data__event="calendar_token_renewed").get()
    assert entry.object_pk == str(role_users["member"].pk)
    assert old not in str(entry.changes) and new not in str(entry.changes)


def test_the_first_post_makes_an_address_too(client_for, role_users) -> None:
    client_for("member").post(reverse("calendars:feed_settings"))
    assert CalendarToken.objects.filter(user=role_users["member"]).count() == 1


def test_the_settings_page_needs_a_signed_in_account(client, client_for) -> None:
    url = reverse("calendars:feed_settings")
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert not CalendarToken.objects.exists()
    assert client_for("member").put(url).status_code == 405


def test_the_feed_parses_with_many_meetings(feed_of, clerk, role_users, department) -> None:
    for n in range(5):
        publish(
            make_meeting(by=clerk, units=[department], title=f"Họp số {n}", days_ahead=5 + n), clerk
        )
    _text, calendar = feed_of(role_users["member"])
    assert isinstance(calendar, Calendar)
    assert summaries(calendar) == [f"Họp số {n}" for n in range(5)]  # in time order
