"""The rule of a series of meetings: weekly on chosen weekdays, or monthly on the same day or the
same nth weekday; until a date or for a number of meetings. Kept as an iCalendar RRULE (RFC 5545)
so that dateutil expands it and a calendar program could read it; described in words for people.
"""

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.rrule import rrulestr  # type: ignore[import-untyped]  # no stubs installed
from django.utils import timezone
from django.utils.translation import gettext as _

# More than a year of weekly briefings is a new decision, not a longer series.
MAX_OCCURRENCES = 52

WEEKLY = "weekly"
MONTHLY_DAY = "monthly_day"
MONTHLY_WEEKDAY = "monthly_weekday"

ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def weekday_names() -> list[str]:
    return [_("thứ Hai"), _("thứ Ba"), _("thứ Tư"), _("thứ Năm"), _("thứ Sáu"), _("thứ Bảy")] + [
        _("Chủ nhật")
    ]


@dataclass(frozen=True)
class SeriesRule:
    frequency: str
    weekdays: tuple[int, ...] = ()  # 0 = Monday, for WEEKLY
    until: date | None = None
    count: int | None = None

    def rrule(self, first: datetime) -> str:
        """The RRULE for a series whose first meeting starts at `first` (local time)."""
        parts = []
        if self.frequency == WEEKLY:
            days = sorted(set(self.weekdays)) or [first.weekday()]
            parts += ["FREQ=WEEKLY", "BYDAY=" + ",".join(ICAL_DAYS[d] for d in days)]
        elif self.frequency == MONTHLY_DAY:
            parts.append("FREQ=MONTHLY")
            if first.day > 28:
                # The 31st in a month of 30 days is its last day, not a month skipped: the last
                # of the days from the 28th up to the first meeting's day.
                parts.append("BYMONTHDAY=" + ",".join(str(d) for d in range(28, first.day + 1)))
                parts.append("BYSETPOS=-1")
            else:
                parts.append(f"BYMONTHDAY={first.day}")
        elif self.frequency == MONTHLY_WEEKDAY:
            nth = nth_of_month(first)
            parts += ["FREQ=MONTHLY", f"BYDAY={nth}{ICAL_DAYS[first.weekday()]}"]
        else:
            raise ValueError(self.frequency)
        # RFC 5545 allows UNTIL or COUNT, not both; occurrences() caps either at MAX_OCCURRENCES.
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        else:
            parts.append(f"COUNT={min(self.count or MAX_OCCURRENCES, MAX_OCCURRENCES)}")
        return ";".join(parts)


def nth_of_month(day: date) -> int:
    """1 for the first Monday of its month, …; -1 for a fifth, which some months lack: the last."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def occurrences(rule: str, first: datetime) -> list[datetime]:
    """The starts of the series' meetings, `first` (aware) included, in the local time of day;
    never more than MAX_OCCURRENCES."""
    local = timezone.localtime(first)
    naive = local.replace(tzinfo=None)
    starts = [naive]
    for start in rrulestr(rule, dtstart=naive):
        if len(starts) >= MAX_OCCURRENCES:
            break
        if start > naive:
            starts.append(start)
    # The rule's COUNT includes the first meeting even when its own day is not among the rule's.
    count = _count(rule)
    if count is not None:
        starts = starts[:count]
    return [timezone.make_aware(s, local.tzinfo) for s in starts]


def _parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";") if "=" in part)


def _count(rule: str) -> int | None:
    value = _parts(rule).get("COUNT")
    return int(value) if value else None


def describe(rule: str, *, ending: bool = True) -> str:
    """The rule in words, in the reader's language: "hằng tuần vào thứ Hai, thứ Năm", with its
    end ("đến ngày …", "4 cuộc họp") unless `ending` is False."""
    parts = _parts(rule)
    names = weekday_names()
    text = ""
    if parts.get("FREQ") == "WEEKLY":
        days = [names[ICAL_DAYS.index(d)] for d in parts.get("BYDAY", "").split(",") if d]
        text = _("hằng tuần vào %(days)s") % {"days": ", ".join(days)}
    elif parts.get("FREQ") == "MONTHLY" and "BYMONTHDAY" in parts:
        day = max(int(d) for d in parts["BYMONTHDAY"].split(","))
        if "BYSETPOS" in parts:
            text = _("hằng tháng vào ngày %(day)s (tháng không có ngày này: ngày cuối tháng)") % {
                "day": day
            }
        else:
            text = _("hằng tháng vào ngày %(day)s") % {"day": day}
    elif parts.get("FREQ") == "MONTHLY" and "BYDAY" in parts:
        by_day = parts["BYDAY"]
        nth, weekday = int(by_day[:-2]), names[ICAL_DAYS.index(by_day[-2:])]
        ordinals = {
            1: _("đầu tiên của tháng"),
            2: _("tuần thứ 2"),
            3: _("tuần thứ 3"),
            4: _("tuần thứ 4"),
            -1: _("cuối cùng của tháng"),
        }
        text = _("hằng tháng vào %(weekday)s %(nth)s") % {
            "weekday": weekday,
            "nth": ordinals.get(nth, str(nth)),
        }
    if not ending:
        return text
    if "UNTIL" in parts:
        until = datetime.strptime(parts["UNTIL"][:8], "%Y%m%d")
        text += ", " + _("đến ngày %(date)s") % {"date": f"{until:%d/%m/%Y}"}
    elif "COUNT" in parts:
        text += ", " + _("%(count)s cuộc họp") % {"count": parts["COUNT"]}
    return text
