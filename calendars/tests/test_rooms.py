"""Room bookings: publishing a meeting in a room another published meeting holds at that time warns
with the other meeting's name (or only its organiser, when the account may not open it), without
refusing; the week calendar can show one room, with the times other units hold it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UnitFactory, UserFactory
from catalogs.models import Location
from meetings.models import Meeting
from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.django_db

WARNING = "đã có cuộc họp khác vào thời gian này"


@pytest.fixture
def hall(office) -> Location:
    return Location.objects.create(unit=office, name="Hội trường tầng 3", capacity=120)


@pytest.fixture
def start():
    at = (timezone.now() + timedelta(days=12)).replace(hour=8, minute=0, second=0, microsecond=0)
    # A Wednesday (on the local clock): the day after it, where a test puts another meeting, is
    # in the same week's calendar. On a Sunday it was in the next week's, and the test failed.
    return at + timedelta(days=(2 - timezone.localtime(at).weekday()) % 7)


@pytest.fixture
def other_clerk() -> User:
    unit = UnitFactory(code="SNV", name="Sở Nội vụ", short_name="SNV", may_organise=True)
    return UserFactory(role=User.Role.CLERK, unit=unit)


def _meeting(by: User, hall: Location, start, hours: float = 2, **extra) -> Meeting:
    return make_meeting(
        by=by, location=hall, start_at=start, end_at=start + timedelta(hours=hours), **extra
    )


def test_publishing_in_a_taken_room_warns_with_the_other_meeting_and_still_publishes(
    client_for, role_users, department, hall, start
) -> None:
    clerk = role_users["clerk"]
    first = _meeting(clerk, hall, start, units=[department], title="Giao ban tuần 49")
    first = publish(first, clerk)
    second = _meeting(clerk, hall, start + timedelta(minutes=90), units=[department])
    later = _meeting(clerk, hall, start + timedelta(hours=2), units=[department])
    client = client_for("clerk")
    for url in (
        reverse("meetings:publish", args=[second.pk]),
        reverse("meetings:detail", args=[second.pk]),
    ):
        page = client.get(url).content.decode()
        assert WARNING in page and "Giao ban tuần 49" in page
        assert reverse("meetings:detail", args=[first.pk]) in page
        assert f"phong={hall.pk}" in page
    # Back to back is not a clash; a draft holds no room.
    assert WARNING not in client.get(reverse("meetings:publish", args=[later.pk])).content.decode()
    # A warning, not a refusal.
    response = client.post(
        reverse("meetings:publish", args=[second.pk]),
        {"revision": second.revision, "late_reason": "Họp gấp"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Meeting.Status.PUBLISHED
    # Invitees are not warned: the room is the organisers' business.
    assert (
        WARNING
        not in client_for("member")
        .get(reverse("meetings:detail", args=[second.pk]))
        .content.decode()
    )


def test_a_meeting_the_account_may_not_open_is_named_by_its_organiser_only(
    client_for, role_users, other_clerk, department, hall, start
) -> None:
    theirs = publish(
        _meeting(other_clerk, hall, start, units=[department], title="Họp kín của Sở Nội vụ"),
        other_clerk,
    )
    mine = _meeting(role_users["clerk"], hall, start, units=[department])
    page = client_for("clerk").get(reverse("meetings:publish", args=[mine.pk])).content.decode()
    assert WARNING in page and "một cuộc họp" in page and "(SNV)" in page
    assert theirs.title not in page
    assert reverse("meetings:detail", args=[theirs.pk]) not in page


def test_the_week_of_one_room(client_for, role_users, other_clerk, department, hall, start) -> None:
    clerk = role_users["clerk"]
    mine = _meeting(clerk, hall, start, units=[department], title="Họp tại hội trường")
    mine = publish(mine, clerk)
    elsewhere = publish(
        make_meeting(
            by=clerk,
            units=[department],
            title="Họp ở phòng khác",
            start_at=start,
            end_at=start + timedelta(hours=1),
        ),
        clerk,
    )
    theirs = publish(
        _meeting(
            other_clerk, hall, start + timedelta(days=1), units=[department], title="Họp kín SNV"
        ),
        other_clerk,
    )
    day = timezone.localtime(start).strftime("%d/%m/%Y")
    url = reverse("calendars:week") + f"?ngay={day}&phong={hall.pk}"
    page = client_for("clerk").get(url).content.decode()
    assert "Phòng Hội trường tầng 3" in page and mine.title in page
    assert elsewhere.title not in page
    # Another unit's meeting holds the room: a busy time for whoever books rooms, no title.
    assert "Phòng đã được đặt (SNV)" in page and theirs.title not in page
    # The week's links keep the room.
    assert f"phong={hall.pk}" in page.split("Tuần sau")[0].rsplit("href", 1)[1]
    # An invitee sees its own meetings in the room, and no busy times.
    member = client_for("member").get(url).content.decode()
    assert mine.title in member and theirs.title in member  # its unit is invited to both
    assert "Phòng đã được đặt" not in member
    # Anything but a room's number shows every room.
    for junk in ("abc", "99999999999999999999", "-1", str(hall.pk + 1000)):
        week = reverse("calendars:week") + f"?ngay={day}&phong={junk}"
        everything = client_for("clerk").get(week)
        assert everything.status_code == 200
        assert elsewhere.title in everything.content.decode()
