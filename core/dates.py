"""Local days as moments: where a day of the Asia/Ho_Chi_Minh calendar starts and ends.

Ranges are half-open, [first day 00:00, the day after the last 00:00), so no moment falls
between two days and no microsecond is lost at midnight."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Dates outside these years are typing mistakes or probes. Refused at the form, they never reach
# the arithmetic below, where the day after 31/12/9999 or local midnight of 01/01/0001 in UTC+7
# cannot be represented.
FIRST_YEAR = 1900
LAST_YEAR = 2100


def year_in_range(value: date | datetime | None) -> None:
    """A form field validator: the year must be one an office can mean."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Năm phải từ %(first)s đến %(last)s."),
            code="year_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


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
