"""Week and month calendars, the personal feed with its secret token, the public feed (B1)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from calendars.models import CalendarToken
from meetings import services
from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(role_users):
    return role_users["clerk"]


def week_of(meeting) -> str:
    day = timezone.localtime(meeting.start_at).strftime("%d/%m/%Y")
    return reverse("calendars:week") + f"?ngay={day}"


def month_of(meeting) -> str:
    return (
        reverse("calendars:month")
        + "?thang="
        + timezone.localtime(meeting.start_at).strftime("%m/%Y")
    )


def test_week_and_month_show_an_invitee_its_meetings_and_nothing_else(
    client_for, clerk, department, other_department
) -> None:
    mine = publish(make_meeting(by=clerk, units=[department], title="Họp của Sở Tài chính"), clerk)
    theirs = publish(
        make_meeting(by=clerk, units=[other_department], title="Họp của Sở Kế hoạch"), clerk
    )
    draft = make_meeting(by=clerk, units=[department], title="Dự thảo chưa phát hành")
    for url in (week_of(mine), month_of(mine)):
        page = client_for("member").get(url).content.decode()
        assert mine.title in page and reverse("meetings:detail", args=[mine.pk]) in page
        assert theirs.title not in page and draft.title not in page
        outsider = client_for("outsider").get(url).content.decode()
        assert theirs.title in outsider and mine.title not in outsider
        organiser = client_for("clerk").get(url).content.decode()
        assert draft.title in organiser and "Dự thảo" in organiser


def test_bad_dates_fall_back_to_today(client_for) -> None:
    for url in (
        reverse("calendars:week") + "?ngay=32/13/2026",
        reverse("calendars:week") + "?ngay=<script>",
        reverse("calendars:week") + "?ngay=" + "9" * 5000,
        reverse("calendars:month") + "?thang=13/2026",
        reverse("calendars:month") + "?thang='%_\\",
    ):
        response = client_for("member").get(url)
        assert response.status_code == 200, url
        assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_the_week_runs_monday_to_sunday_with_dd_mm_yyyy(client_for) -> None:
    page = client_for("member").get(reverse("calendars:week") + "?ngay=26/11/2026").content.decode()
    assert "23/11 – 29/11/2026" in page  # Thursday 26/11/2026 is in the week of Monday 23/11
    assert "?ngay=16/11/2026" in page and "?ngay=30/11/2026" in page


def feed_of(client, user) -> tuple[str, Calendar]:
    token = CalendarToken.objects.get_or_create(user=user)[0].token
    url = reverse("calendars:feed", args=[token])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return url, Calendar.from_ical(response.content)


def test_the_personal_feed_has_the_accounts_meetings_with_stable_uid_and_sequence(
    client, clerk, role_users, department, other_department
) -> None:
    mine = publish(make_meeting(by=clerk, units=[department]), clerk)
    publish(make_meeting(by=clerk, units=[other_department], title="Không liên quan"), clerk)
    make_meeting(by=clerk, units=[department], title="Dự thảo")
    _url, calendar = feed_of(client, role_users["member"])
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [mine.title]
    event = events[0]
    assert str(event["UID"]) == f"meeting-{mine.pk}@127.0.0.1"
    assert int(event["SEQUENCE"]) == mine.revision
    assert event.decoded("DTSTART") == mine.start_at
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    # A change raises the sequence under the same UID.
    services.meeting_update(
        meeting=mine,
        by=clerk,
        data={"title": "Họp giao ban (đổi giờ)"},
        revision=mine.revision,
        invitees=services.Invitees(units=[department]),
    )
    _url, calendar = feed_of(client, role_users["member"])
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{mine.pk}@127.0.0.1"
    assert int(event["SEQUENCE"]) > mine.revision - 1 and str(event["SUMMARY"]).endswith("giờ)")


def test_a_new_token_kills_the_old_address(client, client_for, role_users) -> None:
    member = client_for("member")
    page = member.get(reverse("calendars:feed_settings")).content.decode()
    old = CalendarToken.objects.get(user=role_users["member"]).token
    assert reverse("calendars:feed", args=[old]) in page
    assert client.get(reverse("calendars:feed", args=[old])).status_code == 200
    response = member.post(reverse("calendars:feed_settings"))
    assert response.status_code == 302
    new = CalendarToken.objects.get(user=role_users["member"]).token
    assert new != old and len(new) >= 40
    assert client.get(reverse("calendars:feed", args=[old])).status_code == 404
    assert client.get(reverse("calendars:feed", args=[new])).status_code == 200
    assert client.get(reverse("calendars:feed", args=["khong-ton-tai"])).status_code == 404


def test_an_inactive_accounts_feed_is_gone(client, role_users) -> None:
    token = CalendarToken.objects.create(user=role_users["member"]).token
    role_users["member"].is_active = False
    role_users["member"].save()
    assert client.get(reverse("calendars:feed", args=[token])).status_code == 404


def test_the_public_feed_has_public_meetings_only_and_no_documents(client, clerk, department):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import document_add
    from meetings.tests.factories import pdf_bytes

    public = make_meeting(
        by=clerk, units=[department], title="Họp công khai", online_link="https://meet.example/x"
    )
    document_add(
        meeting=public,
        by=clerk,
        uploaded=SimpleUploadedFile("Báo cáo mật quý III.pdf", pdf_bytes()),
    )
    publish(public, clerk)
    hidden = publish(
        make_meeting(by=clerk, units=[department], title="Họp nội bộ", is_public=False), clerk
    )
    make_meeting(by=clerk, units=[department], title="Dự thảo")
    response = client.get(reverse("calendars:public_feed"))
    assert response.status_code == 200
    text = response.content.decode()
    calendar = Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [public.title]
    assert hidden.title not in text and "Báo cáo mật" not in text and "/tai-lieu/" not in text
    assert "meet.example" not in text  # the online link is not public
    assert f"/lich-hop/{public.pk}/" in text


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_queries_do_not_grow_with_the_meetings(client, client_for, clerk, role_users, department):
    first = publish(make_meeting(by=clerk, units=[department], days_ahead=3), clerk)
    member = client_for("member")
    token = CalendarToken.objects.create(user=role_users["member"]).token
    urls = [week_of(first), month_of(first), reverse("calendars:feed", args=[token])]
    few = [count_queries(member, url) for url in urls] + [
        count_queries(client, reverse("calendars:public_feed"))
    ]
    for n in range(25):
        publish(
            make_meeting(by=clerk, units=[department], days_ahead=3, title=f"Họp số {n}"), clerk
        )
    many = [count_queries(member, url) for url in urls] + [
        count_queries(client, reverse("calendars:public_feed"))
    ]
    assert many == few
