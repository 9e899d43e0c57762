"""What the calendars show: the same `meetings_visible_to` as the meeting list, so that a calendar
never shows a meeting its page would refuse (and the other way round)."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from catalogs.models import Location
from core.dates import within_days
from meetings.models import Meeting
from meetings.selectors import meetings_visible_to, public_meetings

from .models import CalendarToken

# A calendar program gets at most this many events; past this the oldest ones are left out.
FEED_LIMIT = 1000
FEED_PAST_DAYS = 90
PUBLIC_FEED_PAST_DAYS = 30


# What the week's and the month's cells show of a meeting (calendars/_meeting.html, month.html):
# not the meeting's agenda and search texts, nor its type and form, which no cell prints.
CALENDAR_FIELDS = (
    "title",
    "start_at",
    "end_at",
    "status",
    "location_id",
    "organiser_unit_id",
    "chair_id",
    "location__name",
    "organiser_unit__name",
    "organiser_unit__short_name",
    "chair__full_name",
)


def meetings_between(user: User, first: date, last: date) -> QuerySet[Meeting]:
    """The account's meetings starting on these local days (both included), in time order; drafts
    only for their organisers, as everywhere."""
    days = within_days("start_at", first, last)
    return (
        meetings_visible_to(
            user, starts_from=days["start_at__gte"], starts_before=days["start_at__lt"]
        )
        .select_related("location", "organiser_unit", "chair")
        .only(*CALENDAR_FIELDS)
        .order_by("start_at", "id")
    )


def room_booked(user: User, location: Location, first: date, last: date) -> list[Meeting]:
    """What the room's week shows besides the account's own meetings: for those who organise
    meetings (to book a room), the other published meetings holding it, as busy times without
    their titles (the account may not open them)."""
    if not user.has_perm("meetings.organise_meeting"):
        return []
    return list(
        Meeting.objects.alive()
        .filter(location=location, status=Meeting.Status.PUBLISHED)
        .filter(**within_days("start_at", first, last))
        .exclude(pk__in=meetings_visible_to(user).values("pk"))
        .select_related("organiser_unit")
        .order_by("start_at", "id")
    )


def rooms() -> QuerySet[Location]:
    """The rooms a week calendar can be shown for, by unit."""
    return Location.objects.filter(is_active=True, unit__is_active=True).select_related("unit")


def meetings_by_day(meetings: Iterable[Meeting]) -> dict[date, list[Meeting]]:
    days: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        days.setdefault(timezone.localtime(meeting.start_at).date(), []).append(meeting)
    return days


def token_owner(token: str) -> User | None:
    """The active account whose feed address carries this token, if any."""
    found = (
        CalendarToken.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return found.user if found else None


def feed_meetings(user: User, *, now: datetime | None = None) -> QuerySet[Meeting]:
    """An account's feed: what it may see, never drafts (not even its own), from 90 days back."""
    since = (now or timezone.now()) - timedelta(days=FEED_PAST_DAYS)
    return (
        meetings_visible_to(user)
        .exclude(status=Meeting.Status.DRAFT)
        .filter(end_at__gte=since)
        .select_related("location__unit", "organiser_unit", "chair")
        .order_by("start_at", "id")[:FEED_LIMIT]
    )


def public_feed_meetings(*, now: datetime | None = None) -> QuerySet[Meeting]:
    """The public schedule's meetings (S1) from 30 days back."""
    since = (now or timezone.now()) - timedelta(days=PUBLIC_FEED_PAST_DAYS)
    return (
        public_meetings()
        .filter(end_at__gte=since)
        .select_related("location__unit")
        .order_by("start_at", "id")[:FEED_LIMIT]
    )
