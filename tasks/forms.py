"""The notice with its tasks (a formset), the unit's report and the office's return."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.forms import DateField, FilterForm, bound_years, date_filter
from core.widgets import LongModelChoiceField

from .models import Notice
from .selectors import CATEGORIES
from .services import MAX_NOTE_LENGTH, MAX_TASKS, NOTICE_FIELDS, TaskData


class NoticeForm(forms.ModelForm):
    issued_on = DateField(label=_("Ngày ban hành"), required=False)

    class Meta:
        model = Notice
        fields = list(NOTICE_FIELDS)
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "number": _("Ví dụ: 125/TB-VP"),
            "issued_on": _("Để trống: ngày ban hành là ngày bấm Ban hành."),
            "recipients": _("Mỗi dòng một nơi nhận."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_years(self, "issued_on")


def _units() -> Any:
    return Unit.objects.filter(is_active=True).order_by("order", "name")


class TaskForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=500)
    detail = forms.CharField(
        label=_("Nội dung chi tiết"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    unit = LongModelChoiceField(queryset=_units(), label=_("Đơn vị chủ trì"))
    cooperating = forms.ModelMultipleChoiceField(
        queryset=_units(),
        label=_("Đơn vị phối hợp"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    deadline = DateField(label=_("Hạn hoàn thành"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, cooperating = data.get("unit"), data.get("cooperating") or []
        if unit is not None and unit in cooperating:
            self.add_error("cooperating", _("Đơn vị chủ trì không đồng thời là đơn vị phối hợp."))
        return data


class BaseTaskFormSet(forms.BaseFormSet):
    def task_data(self) -> list[TaskData]:
        tasks = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or not data.get("title"):
                continue
            tasks.append(
                TaskData(
                    title=data["title"],
                    detail=data.get("detail") or "",
                    unit=data["unit"],
                    deadline=data["deadline"],
                    cooperating=list(data.get("cooperating") or []),
                    pk=data.get("id"),
                )
            )
        return tasks


TaskFormSet = forms.formset_factory(
    TaskForm,
    formset=BaseTaskFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_TASKS,
    validate_max=True,
)


class ReportForm(forms.Form):
    note = forms.CharField(
        label=_("Nội dung báo cáo"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    done = forms.BooleanField(label=_("Đã hoàn thành nhiệm vụ (đề nghị xác nhận)"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy nhập lý do trả lại.")},
    )


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("Ý kiến (không bắt buộc)"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BoardForm(FilterForm):
    tinh_trang = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", _("— Tất cả —")), *CATEGORIES],
    )
    don_vi = LongModelChoiceField(
        queryset=_units(), label=_("Đơn vị chủ trì"), required=False, empty_label=_("— Tất cả —")
    )
    cuoc_hop = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    tu = date_filter(_("Hạn từ ngày"))
    den = date_filter(_("đến ngày"))
