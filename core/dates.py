"""Local days as moments: where a day of the Asia/Ho_Chi_Minh calendar starts and ends, and how
an official document writes a moment.

Ranges are half-open, [first day 00:00, the day after the last 00:00), so no moment falls
between two days and no microsecond is lost at midnight.

Invitations, minutes and conclusion notices write a time as offices do, "08 giờ 00, thứ Tư, ngày
09/12/2026" (`office_time`, `office_span`): the hour before the day, two digits each, the
weekday spelled out."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, pgettext
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


def _weekday(day: date) -> str:
    # Monday is 0, as in date.weekday().
    names = (
        pgettext("weekday", "thứ Hai"),
        pgettext("weekday", "thứ Ba"),
        pgettext("weekday", "thứ Tư"),
        pgettext("weekday", "thứ Năm"),
        pgettext("weekday", "thứ Sáu"),
        pgettext("weekday", "thứ Bảy"),
        pgettext("weekday", "Chủ nhật"),
    )
    return names[day.weekday()]


def _clock(moment: datetime) -> str:
    return gettext("%(hour)s giờ %(minute)s") % {
        "hour": f"{moment.hour:02d}",
        "minute": f"{moment.minute:02d}",
    }


def _day(moment: datetime) -> str:
    return gettext("%(weekday)s, ngày %(date)s") % {
        "weekday": _weekday(moment.date()),
        "date": f"{moment.day:02d}/{moment.month:02d}/{moment.year}",
    }


def office_time(moment: datetime) -> str:
    """The moment in local time: "08 giờ 00, thứ Tư, ngày 09/12/2026"."""
    local = timezone.localtime(moment)
    return f"{_clock(local)}, {_day(local)}"


def office_span(start: datetime, end: datetime | None) -> str:
    """A meeting's time: "từ 08 giờ 00 đến 11 giờ 30, thứ Tư, ngày 09/12/2026"; the day twice
    only when the span ends on another day; the start alone without an end."""
    if end is None:
        return office_time(start)
    first, last = timezone.localtime(start), timezone.localtime(end)
    if first.date() == last.date():
        return gettext("từ %(start)s đến %(end)s, %(day)s") % {
            "start": _clock(first),
            "end": _clock(last),
            "day": _day(first),
        }
    return gettext("từ %(start)s đến %(end)s") % {
        "start": office_time(first),
        "end": office_time(last),
    }
