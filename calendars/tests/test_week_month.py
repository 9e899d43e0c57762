"""The week and month calendars (B1): what each account sees, the details of each meeting, dates
given in the address, and the usual refusals."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PersonFactory
from calendars.tests.conftest import month_of, week_of
from meetings import services
from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def main_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split('<main id="main"', 1)[1]


def test_each_account_sees_its_own_meetings_and_drafts_only_for_the_organiser(
    client_for, clerk, department, other_department
) -> None:
    mine = publish(make_meeting(by=clerk, units=[department], title="Họp của Sở Tài chính"), clerk)
    theirs = publish(
        make_meeting(by=clerk, units=[other_department], title="Họp của Sở Kế hoạch"), clerk
    )
    draft = make_meeting(by=clerk, units=[department], title="Dự thảo chưa phát hành")
    for url in (week_of(mine), month_of(mine)):
        for role in ("member", "unit_clerk", "unit_leader"):
            page = main_of(client_for(role).get(url))
            assert mine.title in page and reverse("meetings:detail", args=[mine.pk]) in page
            assert theirs.title not in page and draft.title not in page, role
        outsider = main_of(client_for("outsider").get(url))
        assert theirs.title in outsider
        assert mine.title not in outsider and draft.title not in outsider
        organiser = main_of(client_for("clerk").get(url))
        assert draft.title in organiser and "Dự thảo" in organiser


def test_a_meeting_shows_time_place_organiser_chair_and_status(
    client_for, clerk, department
) -> None:
    start = datetime(2031, 3, 12, 8, 30, tzinfo=HANOI)  # a Wednesday
    chair = PersonFactory(full_name="Trần Văn Chủ Trì", unit=clerk.unit)
    in_room = publish(
        make_meeting(
            by=clerk,
            units=[department],
            title="Họp tại phòng",
            start_at=start,
            end_at=start + timedelta(hours=2, minutes=15),
            chair=chair,
        ),
        clerk,
    )
    online = publish(
        make_meeting(
            by=clerk,
            units=[department],
            title="Họp trực tuyến",
            start_at=start + timedelta(days=1),
            end_at=start + timedelta(days=1, hours=1),
            location=None,
            online_link="https://meet.example/hop",
        ),
        clerk,
    )
    postponed = publish(
        make_meeting(
            by=clerk,
            units=[department],
            title="Họp bị hoãn",
            start_at=start + timedelta(days=2),
            end_at=start + timedelta(days=2, hours=1),
        ),
        clerk,
    )
    services.meeting_postpone(
        meeting=postponed, by=clerk, reason="Lãnh đạo bận", start_at=None, end_at=None
    )
    cancelled = publish(
        make_meeting(
            by=clerk,
            units=[department],
            title="Họp bị huỷ",
            start_at=start + timedelta(days=3),
            end_at=start + timedelta(days=3, hours=1),
        ),
        clerk,
    )
    services.meeting_cancel(meeting=cancelled, by=clerk, reason="Không còn cần thiết")

    week = main_of(client_for("member").get(reverse("calendars:week") + "?ngay=12/03/2031"))
    assert "10/03 – 16/03/2031" in week
    assert "08:30–10:45" in week  # local time, not UTC
    assert "Phòng họp số 1" in week and "Trần Văn Chủ Trì" in week
    assert clerk.unit.name in week or (clerk.unit.short_name and clerk.unit.short_name in week)
    assert "Trực tuyến" in week and "meet.example" not in week
    assert "Hoãn" in week and "Huỷ" in week
    # Each meeting sits in its own day's row, in the day order.
    assert week.index("12/03/2031") < week.index(in_room.title) < week.index("13/03/2031")
    assert week.index("13/03/2031") < week.index(online.title) < week.index("14/03/2031")
    assert week.index(postponed.title) < week.index(cancelled.title)

    month = main_of(client_for("member").get(reverse("calendars:month") + "?thang=03/2031"))
    for meeting in (in_room, online, postponed, cancelled):
        assert reverse("meetings:detail", args=[meeting.pk]) in month
    assert "Hoãn" in month and "Huỷ" in month
    assert "Lịch họp tháng 03/2031" in month


def test_a_late_evening_meeting_is_on_its_local_day(client_for, clerk, department) -> None:
    """Sunday 23:30 in Hà Nội is Sunday 16:30 UTC; Monday 06:00 is Sunday 23:00 UTC."""
    sunday = datetime(2031, 3, 16, 23, 30, tzinfo=HANOI)
    monday = datetime(2031, 3, 17, 6, 0, tzinfo=HANOI)
    late = publish(
        make_meeting(
            by=clerk,
            units=[department],
            title="Họp tối Chủ Nhật",
            start_at=sunday,
            end_at=sunday + timedelta(minutes=25),
        ),
        clerk,
    )
    early = publish(
        make_meeting(
            by=clerk,
            units=[department],
            title="Họp sáng Thứ Hai",
            start_at=monday,
            end_at=monday + timedelta(hours=1),
        ),
        clerk,
    )
    this_week = main_of(client_for("member").get(reverse("calendars:week") + "?ngay=2031-03-16"))
    assert late.title in this_week and early.title not in this_week
    next_week = main_of(client_for("member").get(reverse("calendars:week") + "?ngay=17/03/2031"))
    assert early.title in next_week and late.title not in next_week


def test_the_week_runs_monday_to_sunday_with_links_to_the_weeks_around(client_for) -> None:
    page = main_of(client_for("member").get(reverse("calendars:week") + "?ngay=26/11/2026"))
    assert "23/11 – 29/11/2026" in page  # Thursday 26/11/2026 is in the week of Monday 23/11
    assert "?ngay=16/11/2026" in page and "?ngay=30/11/2026" in page
    assert f'href="{reverse("calendars:week")}"' in page  # this week
    iso = main_of(client_for("member").get(reverse("calendars:week") + "?ngay=2026-11-29"))
    assert "23/11 – 29/11/2026" in iso


def test_the_month_steps_across_years(client_for) -> None:
    page = main_of(client_for("member").get(reverse("calendars:month") + "?thang=01/2027"))
    assert "Lịch họp tháng 01/2027" in page
    assert "?thang=12/2026" in page and "?thang=02/2027" in page
    iso = main_of(client_for("member").get(reverse("calendars:month") + "?thang=2026-12"))
    assert "Lịch họp tháng 12/2026" in iso and "?thang=01/2027" in iso


@pytest.mark.parametrize(
    "query",
    [
        "?ngay=32/13/2026",
        "?ngay=<script>alert(1)</script>",
        "?ngay=" + "9" * 5000,
        "?ngay=01/01/0001",  # the previous week would be before year 1
        "?ngay=31/12/9999",  # the next week would be after year 9999
        "?ngay=",
        "?ngay=26/11/2026&ngay=x",
    ],
)
def test_a_bad_day_falls_back_to_this_week(client_for, query) -> None:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    page = main_of(client_for("member").get(reverse("calendars:week") + query))
    assert f"{monday:%d/%m} – {monday + timedelta(days=6):%d/%m/%Y}" in page
    assert "<script>alert" not in page


@pytest.mark.parametrize(
    "query", ["?thang=13/2026", "?thang='%_\\", "?thang=01/0001", "?thang=12/9999", "?thang=0/0"]
)
def test_a_bad_month_falls_back_to_this_month(client_for, query) -> None:
    page = main_of(client_for("member").get(reverse("calendars:month") + query))
    assert f"Lịch họp tháng {timezone.localdate():%m/%Y}" in page


@pytest.mark.parametrize("name", ["calendars:week", "calendars:month"])
def test_anonymous_is_sent_to_sign_in_and_post_is_refused(client, client_for, name) -> None:
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert client_for("member").post(url).status_code == 405


def test_the_week_is_printable(client_for) -> None:
    page = main_of(client_for("member").get(reverse("calendars:week")))
    assert "data-print" in page and "calendars/calendar.css" in page
    assert 'class="nav nav-pills mb-3 no-print"' in page


def test_a_kept_card_is_the_card_rendered_afresh_and_follows_a_change(
    client_for, clerk, department, settings
) -> None:
    """The week's cards come from the process's memo (core.fragments), keyed by what a card
    shows: a kept card is the card rendered afresh, and a meeting changed without a signal (an
    UPDATE of the table) shows at the next request."""
    from core import fragments
    from meetings.models import Meeting

    start = datetime(2031, 3, 12, 8, 30, tzinfo=HANOI)
    chair = PersonFactory(full_name="Lê Thị <b>Chủ Trì</b>", unit=clerk.unit)
    meeting = publish(
        make_meeting(
            by=clerk,
            units=[department],
            title="Họp <script>x</script> giao ban",
            start_at=start,
            end_at=start + timedelta(hours=1),
            chair=chair,
        ),
        clerk,
    )
    url = reverse("calendars:week") + "?ngay=12/03/2031"
    client = client_for("member")
    settings.DEBUG = False
    fragments.forget()
    kept = main_of(client.get(url))
    assert main_of(client.get(url)) == kept
    assert fragments._kept.cache_info().hits >= 1
    settings.DEBUG = True  # nothing kept: every card rendered now
    assert main_of(client.get(url)) == kept
    settings.DEBUG = False
    assert "Họp &lt;script&gt;x&lt;/script&gt; giao ban" in kept
    assert "Lê Thị &lt;b&gt;Chủ Trì&lt;/b&gt;" in kept and "08:30–09:30" in kept

    Meeting.objects.filter(pk=meeting.pk).update(
        title="Họp giao ban đã đổi", status=Meeting.Status.CANCELLED
    )
    changed = main_of(client.get(url))
    assert "Họp giao ban đã đổi" in changed and "Huỷ" in changed
    assert "<script>" not in changed and "Họp &lt;script&gt;" not in changed


def test_the_week_reads_only_what_its_cells_show(client_for, clerk, department) -> None:
    """Not the agenda, the search texts, the type or the form: the week's query names none of
    them (planning its joins and reading its long texts was most of its time in PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish(make_meeting(by=clerk, units=[department], title="Họp đọc ít cột"), clerk)
    with CaptureQueriesContext(connection) as queries:
        main_of(client_for("member").get(reverse("calendars:week")))
    read = " ".join(q["sql"] for q in queries if "meetings_meeting" in q["sql"])
    assert '"meetings_meeting"."title"' in read
    for column in ("agenda", "search_all", "search_title", "search_public"):
        assert f'"meetings_meeting"."{column}"' not in read, column
    for table in ("catalogs_meetingtype", "catalogs_meetingform"):
        assert table not in read, table
