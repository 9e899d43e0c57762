"""Filters of the reports; all in the URL so a report can be bookmarked and shared."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LoginEvent, Unit
from core.forms import FilterForm, date_filter
from core.widgets import LongModelChoiceField

from .selectors import Period

FIRST_YEAR = 2000


class _ReportFilters(FilterForm):
    """A province reader may narrow a report to one unit (`don_vi`); a unit reader is not
    offered the choice."""

    def __init__(self, *args: Any, province: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not province:
            self.fields.pop("don_vi", None)


def _unit_field() -> forms.ModelChoiceField:
    return LongModelChoiceField(
        label=_("Đơn vị"),
        queryset=Unit.objects.filter(is_active=True).order_by("order", "name"),
        required=False,
        empty_label=_("Toàn tỉnh"),
    )


class StatisticsForm(_ReportFilters):
    tu = date_filter(_("Từ ngày"))
    den = date_filter(_("Đến ngày"))
    don_vi = _unit_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["tu"].initial = date(year, 1, 1)
        self.fields["den"].initial = date(year, 12, 31)

    def period(self) -> Period:
        """The chosen dates; by default the current year up to its end."""
        data = self.valid_data()
        year = timezone.localdate().year
        return Period(data.get("tu") or date(year, 1, 1), data.get("den") or date(year, 12, 31))


class UsageForm(_ReportFilters):
    FIRST_HALF, SECOND_HALF, YEAR = "6-thang-dau", "6-thang-cuoi", "ca-nam"
    PERIODS = {
        FIRST_HALF: _("6 tháng đầu năm"),
        SECOND_HALF: _("6 tháng cuối năm"),
        YEAR: _("Cả năm"),
    }

    nam = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=2100,
        error_messages={
            "min_value": _("Năm phải từ %(limit_value)s trở đi."),
            "max_value": _("Năm không được sau %(limit_value)s."),
            "invalid": _("Năm phải là một số, ví dụ 2026."),
        },
    )
    ky = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        required=False,
        choices=list(PERIODS.items()),
        error_messages={"invalid_choice": _("Kỳ báo cáo không hợp lệ.")},
    )
    don_vi = _unit_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["nam"].initial = today.year
        self.fields["ky"].initial = self.FIRST_HALF if today.month <= 6 else self.YEAR

    def chosen(self) -> tuple[int, str]:
        """The chosen year and period; by default the report due next: the first half until
        June, then the whole year."""
        data = self.valid_data()
        today = timezone.localdate()
        default = self.FIRST_HALF if today.month <= 6 else self.YEAR
        return data.get("nam") or today.year, data.get("ky") or default

    def period(self) -> Period:
        year, kind = self.chosen()
        if kind == self.FIRST_HALF:
            return Period(date(year, 1, 1), date(year, 6, 30))
        if kind == self.SECOND_HALF:
            return Period(date(year, 7, 1), date(year, 12, 31))
        return Period(date(year, 1, 1), date(year, 12, 31))

    def label(self) -> str:
        year, kind = self.chosen()
        return f"{self.PERIODS[kind]} {year}"


class LoginLogForm(_ReportFilters):
    tai_khoan = forms.CharField(
        label=_("Tài khoản"),
        required=False,
        max_length=150,
        error_messages={"max_length": _("Tối đa %(limit_value)d ký tự.")},
    )
    don_vi = _unit_field()
    tu = date_filter(_("Từ ngày"))
    den = date_filter(_("Đến ngày"))
    su_kien = forms.ChoiceField(
        label=_("Sự kiện"),
        required=False,
        choices=[("", _("Tất cả")), *LoginEvent.Kind.choices],
        error_messages={"invalid_choice": _("Sự kiện không hợp lệ.")},
    )

    def filters(self) -> dict[str, Any]:
        data = self.valid_data()
        return {
            "account": data.get("tai_khoan", "").strip(),
            "unit": data.get("don_vi"),
            "start": data.get("tu"),
            "end": data.get("den"),
            "kind": data.get("su_kien", ""),
        }
