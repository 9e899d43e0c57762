"""The dashboard shows the first DASHBOARD_SHOWN meetings past this week and of those the
account organises, in time order, and links the meeting list for the others (with how many
more there are past this week)."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from meetings.selectors import DASHBOARD_SHOWN
from meetings.tests.factories import make_meeting, publish


def test_the_dashboard_shows_the_first_meetings_and_links_the_others(
    client_for, role_users, department
):
    clerk = role_users["clerk"]
    made = []
    for n in range(DASHBOARD_SHOWN + 3):
        meeting = make_meeting(
            by=clerk, title=f"Họp chuyên đề số {n:02d}", units=[department], days_ahead=20 + n
        )
        made.append(publish(meeting, clerk))
    # Opened already: only the time sections list them, not "new".
    leader = client_for("unit_leader")
    for meeting in made:
        leader.get(reverse("meetings:detail", args=[meeting.pk]))

    page = leader.get(reverse("portal:dashboard")).content.decode()
    # "Cuộc họp của tôi" (the to-do list above it names the invitations to answer).
    page = page.split('id="mine-heading"')[1]
    shown = [n for n in range(DASHBOARD_SHOWN + 3) if f"Họp chuyên đề số {n:02d}" in page]
    assert shown == list(range(DASHBOARD_SHOWN))
    assert "Xem thêm 3 cuộc họp sắp tới" in page
    assert f'href="{reverse("meetings:list")}?trang_thai=upcoming"' in page

    organiser = client_for("clerk").get(reverse("portal:dashboard")).content.decode()
    mine = organiser.split('id="organised-heading"')[1].split("</section>")[0]
    assert [n for n in range(DASHBOARD_SHOWN + 3) if f"Họp chuyên đề số {n:02d}" in mine] == list(
        range(DASHBOARD_SHOWN)
    )
    assert "Xem tất cả cuộc họp" in mine


def test_no_link_while_every_meeting_is_shown(client_for, role_users, department):
    clerk = role_users["clerk"]
    for n in range(3):
        publish(
            make_meeting(by=clerk, title=f"Họp số {n}", units=[department], days_ahead=20 + n),
            clerk,
        )
    page = client_for("unit_leader").get(reverse("portal:dashboard")).content.decode()
    assert all(f"Họp số {n}" in page for n in range(3))
    assert "Xem thêm" not in page.split('id="mine-heading"')[1]
    organiser = client_for("clerk").get(reverse("portal:dashboard")).content.decode()
    assert "Xem tất cả cuộc họp" not in organiser


def test_the_organised_meetings_are_those_going_on_and_to_come(client_for, role_users, department):
    """An office's clerk sees the meetings it organises that are going on or to come: those that
    ended are in the meeting list, not ahead of the coming ones."""
    clerk = role_users["clerk"]
    now = timezone.now()
    for title, hours in (
        ("Họp đã qua hôm kia", -50),
        ("Họp vừa xong", -3),
        ("Họp đang diễn ra", -1),
        ("Họp sắp tới ngày mai", 24),
    ):
        meeting = make_meeting(by=clerk, title=title, units=[department])
        Meeting.objects.filter(pk=meeting.pk).update(
            start_at=now + timedelta(hours=hours), end_at=now + timedelta(hours=hours + 2)
        )
    page = client_for("clerk").get(reverse("portal:dashboard")).content.decode()
    mine = page.split('id="organised-heading"')[1].split("</section>")[0]
    assert mine.index("Họp đang diễn ra") < mine.index("Họp sắp tới ngày mai")
    assert "Họp đã qua hôm kia" not in mine and "Họp vừa xong" not in mine


def test_only_the_meetings_shown_are_read_as_rows(client_for, role_users, department):
    """The meetings not ended are first read as their ids, starts and marks; whole rows (title,
    room, organiser) only of those shown: every new one, however late, and the first ten past
    this week, not the others."""
    clerk = role_users["clerk"]
    made = [
        publish(
            make_meeting(
                by=clerk, title=f"Họp định kỳ số {n:02d}", units=[department], days_ahead=20 + n
            ),
            clerk,
        )
        for n in range(DASHBOARD_SHOWN + 5)
    ]
    leader = client_for("unit_leader")
    for meeting in made[:-1]:  # the last one, the latest, not yet opened
        leader.get(reverse("meetings:detail", args=[meeting.pk]))
    with CaptureQueriesContext(connection) as read:
        page = leader.get(reverse("portal:dashboard")).content.decode()
    mine = page.split('id="mine-heading"')[1]
    new = mine.split("<h3")[1]
    assert "Họp định kỳ số 14" in new and "Họp định kỳ số 00" not in new
    later = mine.split("Sắp tới")[1]
    assert [n for n in range(DASHBOARD_SHOWN + 5) if f"Họp định kỳ số {n:02d}" in later] == list(
        range(DASHBOARD_SHOWN)
    )
    assert "Xem thêm 5 cuộc họp sắp tới" in later
    # The rows' query asks for the meetings shown by id (the recent past, none here, is read
    # apart).
    rows = [
        re.search(r'"meetings_meeting"\."id" IN \(([0-9, ]+)\)', query["sql"])
        for query in read
        if query["sql"].startswith('SELECT "meetings_meeting"."id", "meetings_meeting"."title"')
    ]
    read_as_rows = {int(pk) for found in rows if found for pk in found.group(1).split(",")}
    assert read_as_rows == {m.pk for m in made[:DASHBOARD_SHOWN]} | {made[-1].pk}
