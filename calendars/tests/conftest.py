"""Shared pieces of the calendar tests: the organising clerk, the URLs of a meeting's week and
month, and a parsed feed."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from calendars.models import CalendarToken
from meetings.models import Meeting


@pytest.fixture
def clerk(role_users) -> User:
    return role_users["clerk"]


def week_of(meeting: Meeting) -> str:
    day = timezone.localtime(meeting.start_at).strftime("%d/%m/%Y")
    return reverse("calendars:week") + f"?ngay={day}"


def month_of(meeting: Meeting) -> str:
    month = timezone.localtime(meeting.start_at).strftime("%m/%Y")
    return reverse("calendars:month") + f"?thang={month}"


def feed_url(user: User) -> str:
    return reverse("calendars:feed", args=[CalendarToken.objects.get_or_create(user=user)[0].token])


@pytest.fixture
def feed_of(client: Client) -> Callable[[User], tuple[str, Calendar]]:
    """The account's feed as a calendar program sees it (no session), parsed."""

    def fetch(user: User) -> tuple[str, Calendar]:
        response = client.get(feed_url(user))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        text = response.content.decode()
        return text, Calendar.from_ical(response.content)

    return fetch


def summaries(calendar: Calendar) -> list[str]:
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
