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


# ---- years nobody means: refused with a message, never a 500 -----------------------------------

FAR_DATES = ["31/12/9999", "01/01/0001", "9999-12-31", "0001-01-01", "01/01/2101", "31/12/1899"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", FAR_DATES)
@pytest.mark.parametrize("field", ["tu", "den"])
def test_the_public_schedule_refuses_a_far_year_with_a_message(client, value, field) -> None:
    response = client.get("/lich-hop/", {"period": "all", field: value})
    assert response.status_code == 200
    assert "Năm phải từ 1900 đến 2100." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", FAR_DATES)
@pytest.mark.parametrize(
    "url",
    ["/cuoc-hop/", "/thong-ke/", "/thong-ke/nhat-ky-dang-nhap/", "/thong-ke/du-hop/"],
)
def test_signed_in_filters_refuse_a_far_year_with_a_message(client_for, url, value) -> None:
    client = client_for("admin")
    for field in ("tu", "den"):
        response = client.get(url, {field: value})
        assert response.status_code == 200, (url, field, value)
        assert "Năm phải từ 1900 đến 2100." in response.content.decode(), (url, field, value)


@pytest.mark.django_db
@pytest.mark.parametrize("value", FAR_DATES)
def test_report_downloads_with_a_far_year_answer_the_default_period(client_for, value) -> None:
    # A file or a print has no place for a message: the bad filter is left out, as on the page.
    client = client_for("admin")
    for url in ("/thong-ke/in/", "/thong-ke/thong-ke.xlsx", "/thong-ke/nhat-ky-dang-nhap.xlsx"):
        assert client.get(url, {"tu": value, "den": value}).status_code == 200, url


def test_the_validator_names_the_range() -> None:
    from django.core.exceptions import ValidationError

    from core.dates import year_in_range

    year_in_range(date(1900, 1, 1))
    year_in_range(datetime(2100, 12, 31, 23, 59, tzinfo=HCM))
    for bad in (date(1, 1, 1), date(9999, 12, 31), date(2101, 1, 1)):
        with pytest.raises(ValidationError) as caught:
            year_in_range(bad)
        assert caught.value.code == "year_out_of_range"


@pytest.mark.django_db
def test_forms_that_save_dates_refuse_far_years() -> None:
    from documents.forms import DocumentEditForm
    from exports.forms import ExportRequestForm
    from meetings.forms import PostponeForm

    export = ExportRequestForm(
        data={"date_from": "01/01/0001", "date_to": "31/12/9999", "purpose": "Lưu trữ"}
    )
    assert not export.is_valid()
    assert export.errors["date_from"] == ["Năm phải từ 1900 đến 2100."]
    assert export.errors["date_to"] == ["Năm phải từ 1900 đến 2100."]
    postpone = PostponeForm(
        data={"reason": "Bận", "start_at": "31/12/9999 08:00", "end_at": "31/12/9999 09:00"}
    )
    assert not postpone.is_valid()
    assert "Năm phải từ 1900 đến 2100." in postpone.errors["start_at"]
    document = DocumentEditForm(data={"title": "Tờ trình", "issued_on": "0001-01-01", "order": 1})
    assert not document.is_valid()
    assert "Năm phải từ 1900 đến 2100." in document.errors["issued_on"]


# ---- times as offices write them ---------------------------------------------------------------


def test_a_time_is_written_the_offices_way() -> None:
    from core.dates import office_time

    # 01:00 UTC is 08:00 in Hà Nội; 9 December 2026 is a Wednesday.
    at = datetime(2026, 12, 9, 1, 0, tzinfo=ZoneInfo("UTC"))
    assert office_time(at) == "08 giờ 00, thứ Tư, ngày 09/12/2026"
    assert office_time(datetime(2026, 12, 13, 14, 5, tzinfo=HCM)) == (
        "14 giờ 05, Chủ nhật, ngày 13/12/2026"
    )
    monday = datetime(2026, 12, 7, 7, 30, tzinfo=HCM)
    assert office_time(monday) == "07 giờ 30, thứ Hai, ngày 07/12/2026"


def test_a_span_names_its_day_once() -> None:
    from core.dates import office_span

    start = datetime(2026, 12, 9, 8, 0, tzinfo=HCM)
    assert office_span(start, datetime(2026, 12, 9, 11, 30, tzinfo=HCM)) == (
        "từ 08 giờ 00 đến 11 giờ 30, thứ Tư, ngày 09/12/2026"
    )
    assert office_span(start, datetime(2026, 12, 10, 11, 30, tzinfo=HCM)) == (
        "từ 08 giờ 00, thứ Tư, ngày 09/12/2026 đến 11 giờ 30, thứ Năm, ngày 10/12/2026"
    )
    assert office_span(start, None) == "08 giờ 00, thứ Tư, ngày 09/12/2026"
