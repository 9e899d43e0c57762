"""Forms of the export pages: they validate with translated messages; services do the writing."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import DateField

from .models import MAX_PURPOSE_LENGTH
from .services import check_range


class ExportRequestForm(forms.Form):
    date_from = DateField(
        label=_("Từ ngày"),
        error_messages={"invalid": _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy.")},
    )
    date_to = DateField(
        label=_("Đến ngày"),
        error_messages={"invalid": _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy.")},
        help_text=_("Các cuộc họp bắt đầu trong khoảng này, tính cả hai ngày; tối đa một năm."),
    )
    purpose = forms.CharField(
        label=_("Mục đích kết xuất"),
        max_length=MAX_PURPOSE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Người phê duyệt đọc nội dung này để quyết định."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to:
            try:
                check_range(date_from, date_to)
            except ValidationError as error:
                self.add_error("date_to", error)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Phê duyệt")), ("refuse", _("Từ chối"))],
    )
    reason = forms.CharField(
        label=_("Lý do từ chối"),
        max_length=MAX_PURPOSE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi từ chối; người đề nghị sẽ đọc lý do này."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Hãy nêu lý do từ chối."))
        return data
