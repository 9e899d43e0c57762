"""Sao chép and Lặp lại through the real pages: the happy path, the wrong method, anonymous, the
wrong role, another unit; a series on the meeting page, and "this and the following" when editing
or cancelling; the meeting page's queries do not grow with the series."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogs.models import Location
from meetings import services
from meetings.models import Meeting, MeetingChange
from meetings.recurrence import WEEKLY, SeriesRule
from meetings.tests.factories import make_document, make_meeting, publish
from meetings.tests.test_query_counts import count


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def clerk(role_users):
    return role_users["clerk"]


@pytest.fixture
def meeting(clerk, department, role_users) -> Meeting:
    meeting = make_meeting(
        by=clerk, title="Giao ban tuần", units=[department], secretary=role_users["secretary"]
    )
    publish(meeting, clerk)
    make_document(meeting, clerk)
    return meeting


def series_of(meeting: Meeting, by, n: int) -> list[Meeting]:
    weekday = timezone.localtime(meeting.start_at).weekday()
    services.series_create(
        meeting=meeting, by=by, rule=SeriesRule(WEEKLY, weekdays=(weekday,), count=n)
    )
    return list(Meeting.objects.filter(series=meeting.series).order_by("start_at"))


# ---- Sao chép --------------------------------------------------------------------------------
def test_clerk_copies_a_meeting_to_a_week_later(client_for, meeting, department) -> None:
    client = client_for("clerk")
    url = reverse("meetings:copy", args=[meeting.pk])
    page = client.get(url).content.decode()
    week_later = meeting.start_at + timedelta(days=7)
    assert _local(week_later) in page
    assert 'value="Giao ban tuần"' in page

    response = client.post(
        url,
        {
            "title": "Giao ban tuần 2",
            "start_at": _local(week_later),
            "end_at": _local(week_later + timedelta(hours=1)),
        },
    )

    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:edit", args=[copy.pk])
    assert copy.title == "Giao ban tuần 2" and copy.is_draft
    assert copy.start_at == week_later
    assert list(copy.invitations.values_list("unit_id", flat=True)) == [department.pk]
    assert not copy.documents.exists()
    assert [c.kind for c in copy.changes.all()] == [MeetingChange.Kind.COPIED]


def test_copying_a_past_meeting_suggests_a_date_ahead(client_for, meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=meeting.start_at - timedelta(days=30), end_at=meeting.end_at - timedelta(days=30)
    )
    page = client_for("clerk").get(reverse("meetings:copy", args=[meeting.pk])).content.decode()
    meeting.refresh_from_db()
    suggested = meeting.start_at + timedelta(weeks=3)  # 20 days ago: the first week ahead
    assert suggested > timezone.now()
    assert _local(suggested) in page


def test_copy_refuses_a_past_time_and_stores_nothing(client_for, meeting) -> None:
    past = timezone.now() - timedelta(days=1)
    response = client_for("clerk").post(
        reverse("meetings:copy", args=[meeting.pk]),
        {"title": "X", "start_at": _local(past), "end_at": _local(past + timedelta(hours=1))},
    )
    assert response.status_code == 200
    assert "Thời gian bắt đầu đã qua" in response.content.decode()
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("name", ["meetings:copy", "meetings:repeat"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("secretary", 403), ("member", 403), ("outsider", 404), ("admin", 404)],
)
def test_only_the_organising_clerk_copies_or_repeats(
    client_for, meeting, name, role, status
) -> None:
    start = meeting.start_at + timedelta(days=7)
    response = client_for(role).post(
        reverse(name, args=[meeting.pk]),
        {
            "title": "Bản sao",
            "start_at": _local(start),
            "end_at": _local(start + timedelta(hours=1)),
            "frequency": WEEKLY,
            "weekdays": [timezone.localtime(start).weekday()],
            "ends": "count",
            "count": 4,
        },
    )
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    assert Meeting.objects.count() == 1
    assert Meeting.objects.get().series_id is None


@pytest.mark.parametrize("name", ["meetings:copy", "meetings:repeat"])
def test_copy_and_repeat_take_get_and_post_only(client_for, meeting, name) -> None:
    client = client_for("clerk")
    url = reverse(name, args=[meeting.pk])
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert Meeting.objects.count() == 1


# ---- Lặp lại ---------------------------------------------------------------------------------
def test_clerk_repeats_a_meeting_weekly_four_times(client_for, meeting) -> None:
    client = client_for("clerk")
    url = reverse("meetings:repeat", args=[meeting.pk])
    weekday = timezone.localtime(meeting.start_at).weekday()
    page = client.get(url).content.decode()
    assert "Hằng tuần" in page and "Hằng tháng vào ngày" in page

    response = client.post(
        url, {"frequency": WEEKLY, "weekdays": [weekday], "ends": "count", "count": 4}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    meeting.refresh_from_db()
    series = list(Meeting.objects.filter(series=meeting.series).order_by("start_at"))
    assert [m.start_at for m in series] == [meeting.start_at + timedelta(weeks=w) for w in range(4)]
    assert [m.status for m in series[1:]] == [Meeting.Status.DRAFT] * 3
    assert all(not m.documents.exists() for m in series[1:])
    detail = client.get(reverse("meetings:detail", args=[series[2].pk])).content.decode()
    assert "Thuộc chuỗi: hằng tuần vào" in detail
    for other in series:
        assert reverse("meetings:detail", args=[other.pk]) in detail or other == series[2]
    # Already in a series: no second one.
    again = client.post(
        url, {"frequency": WEEKLY, "weekdays": [weekday], "ends": "count", "count": 2}
    )
    assert again.status_code == 200
    assert Meeting.objects.count() == 4


def test_repeat_refuses_a_weekly_rule_without_days(client_for, meeting) -> None:
    response = client_for("clerk").post(
        reverse("meetings:repeat", args=[meeting.pk]),
        {"frequency": WEEKLY, "ends": "count", "count": 4},
    )
    assert response.status_code == 200
    assert "Hãy chọn ít nhất một ngày trong tuần." in response.content.decode()
    assert Meeting.objects.count() == 1


def test_invitees_see_the_series_without_its_drafts(client_for, meeting, clerk) -> None:
    series = series_of(meeting, clerk, 3)
    publish(series[1], clerk)
    page = client_for("member").get(reverse("meetings:detail", args=[meeting.pk]))
    text = page.content.decode()
    assert "Thuộc chuỗi:" in text
    assert reverse("meetings:detail", args=[series[1].pk]) in text
    assert reverse("meetings:detail", args=[series[2].pk]) not in text


# ---- this and the following -----------------------------------------------------------------
def _edit_data(meeting: Meeting, **changes) -> dict:
    data = {
        "title": meeting.title,
        "start_at": _local(meeting.start_at),
        "end_at": _local(meeting.end_at),
        "type": meeting.type_id,
        "form": meeting.form_id,
        "location": meeting.location_id,
        "is_public": "on",
        "units": list(meeting.invitations.values_list("unit_id", flat=True)),
        "revision": meeting.revision,
    }
    return {**data, **changes}


@pytest.mark.parametrize(("scope", "changed"), [("this", [1]), ("following", [1, 2, 3])])
def test_editing_a_meeting_of_a_series_asks_how_far(client_for, meeting, clerk, scope, changed):
    series = series_of(meeting, clerk, 4)
    room, _ = Location.objects.get_or_create(unit=clerk.unit, name="Hội trường lớn")
    client = client_for("clerk")
    url = reverse("meetings:edit", args=[series[1].pk])
    assert "Cuộc họp này và các cuộc họp sau" in client.get(url).content.decode()

    response = client.post(url, _edit_data(series[1], location=room.pk, scope=scope))

    assert response.status_code == 302
    rooms = [Meeting.objects.get(pk=m.pk).location_id for m in series]
    assert [i for i, r in enumerate(rooms) if r == room.pk] == changed


@pytest.mark.parametrize(("scope", "cancelled"), [("this", [1]), ("following", [1, 2])])
def test_cancelling_a_meeting_of_a_series_asks_how_far(
    client_for, meeting, clerk, scope, cancelled
) -> None:
    series = series_of(meeting, clerk, 3)
    for other in series[1:]:
        publish(other, clerk)
    response = client_for("clerk").post(
        reverse("meetings:cancel", args=[series[1].pk]),
        {"reason": "Lãnh đạo đi công tác", "revision": series[1].revision, "scope": scope},
    )
    assert response.status_code == 302
    statuses = [Meeting.objects.get(pk=m.pk).status for m in series]
    assert [i for i, s in enumerate(statuses) if s == Meeting.Status.CANCELLED] == cancelled


def test_the_meeting_page_queries_do_not_grow_with_the_series(client_for, clerk, department):
    client = client_for("member")

    def queries(n: int) -> int:
        first = make_meeting(by=clerk, title=f"Chuỗi {n}", units=[department], days_ahead=2)
        publish(first, clerk)
        for other in series_of(first, clerk, n)[1:]:
            publish(other, clerk)
        url = reverse("meetings:detail", args=[first.pk])
        page = client.get(url)  # the first view writes the receipt
        assert page.content.decode().count("Thuộc chuỗi:") == 1
        return count(client, url)

    assert queries(3) == queries(12)


# ---- publishing the series' drafts at once --------------------------------------------------
def test_clerk_publishes_every_draft_of_the_series(client_for, meeting, clerk) -> None:
    series = series_of(meeting, clerk, 4)
    client = client_for("clerk")
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    url = reverse("meetings:series_publish", args=[meeting.pk])
    assert url in detail
    page = client.get(url).content.decode()
    assert all(reverse("meetings:detail", args=[m.pk]) in page for m in series[1:])

    response = client.post(url, {"late_reason": ""})

    assert response.status_code == 302
    statuses = {Meeting.objects.get(pk=m.pk).status for m in series}
    assert statuses == {Meeting.Status.PUBLISHED}
    assert all(
        Meeting.objects.get(pk=m.pk).changes.filter(kind=MeetingChange.Kind.PUBLISHED).count() == 1
        for m in series
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("secretary", 403), ("member", 403), ("outsider", 404), ("admin", 404)],
)
def test_only_the_organiser_publishes_the_series(client_for, meeting, clerk, role, status):
    series = series_of(meeting, clerk, 3)
    response = client_for(role).post(reverse("meetings:series_publish", args=[meeting.pk]))
    assert response.status_code == status
    assert [Meeting.objects.get(pk=m.pk).status for m in series[1:]] == [Meeting.Status.DRAFT] * 2
    assert (
        client_for("clerk").put(reverse("meetings:series_publish", args=[meeting.pk])).status_code
        == 405
    )


def test_one_draft_that_cannot_be_published_stops_them_all(client_for, meeting, clerk) -> None:
    series = series_of(meeting, clerk, 3)
    services.invitations_set(meeting=series[2], by=clerk, invitees=services.Invitees())
    response = client_for("clerk").post(reverse("meetings:series_publish", args=[meeting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hãy chọn thành phần mời trước khi phát hành." in page
    assert [Meeting.objects.get(pk=m.pk).status for m in series[1:]] == [Meeting.Status.DRAFT] * 2
