"""Local days as moments: where a day of the Asia/Ho_Chi_Minh calendar starts and ends.

Ranges are half-open, [first day 00:00, the day after the last 00:00), so no moment falls
between two days and no microsecond is lost at midnight."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def within_days(field: str, first: date | None, last: date | None) -> dict[str, datetime]:
    """Lookups for `filter(**...)`: the field falls on one of the local days from first to last
    (both in); a missing end leaves that side open."""
    lookups = {}
    if first is not None:
        lookups[f"{field}__gte"] = start_of_day(first)
    if last is not None:
        lookups[f"{field}__lt"] = start_of_day(last + timedelta(days=1))
    return lookups
