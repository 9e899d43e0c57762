"""Local days as moments: the edges of a day in Asia/Ho_Chi_Minh, on the real database."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import LoginEvent
from core.dates import start_of_day, within_days

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_day_starts_at_local_midnight() -> None:
    assert start_of_day(date(2026, 11, 26)) == datetime(2026, 11, 26, tzinfo=HCM)
    # 00:00 in Hà Nội is 17:00 the day before in UTC.
    assert start_of_day(date(2026, 11, 26)).astimezone(ZoneInfo("UTC")).hour == 17


def test_missing_ends_stay_open() -> None:
    assert within_days("at", None, None) == {}
    assert set(within_days("at", date(2026, 1, 1), None)) == {"at__gte"}
    assert set(within_days("at", None, date(2026, 1, 1))) == {"at__lt"}


@pytest.mark.django_db
def test_both_days_in_and_nothing_lost_at_midnight() -> None:
    first, last = date(2026, 11, 24), date(2026, 11, 25)
    moments = {
        "before": datetime(2026, 11, 23, 23, 59, 59, 999999, tzinfo=HCM),
        "first": datetime(2026, 11, 24, tzinfo=HCM),
        "last-microsecond": datetime(2026, 11, 25, 23, 59, 59, 999999, tzinfo=HCM),
        "after": datetime(2026, 11, 26, tzinfo=HCM),
    }
    for name, at in moments.items():
        LoginEvent.objects.create(kind=LoginEvent.Kind.SUCCESS, username_tried=name, at=at)
    found = LoginEvent.objects.filter(**within_days("at", first, last))
    assert sorted(found.values_list("username_tried", flat=True)) == ["first", "last-microsecond"]
    one_day = LoginEvent.objects.filter(**within_days("at", last + timedelta(days=1), None))
    assert list(one_day.values_list("username_tried", flat=True)) == ["after"]
