"""The notice with its tasks (a formset), the unit's report and the office's return."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.forms import DateField, FilterForm, bound_years, date_filter
from core.widgets import CheckboxList, LongModelChoiceField, LongModelMultipleChoiceField

from . import selectors
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
    cooperating = LongModelMultipleChoiceField(
        queryset=_units(),
        label=_("Đơn vị phối hợp"),
        required=False,
        widget=CheckboxList(attrs={"class": "checklist-items", "data-checklist-items": True}),
    )
    deadline = DateField(label=_("Hạn hoàn thành"))

    def clean_deadline(self) -> date | None:
        """Not already past: a clerk typing a deadline means one to come. A task saved earlier
        keeps its deadline, even once past, as long as it is left as it was."""
        deadline: date | None = self.cleaned_data.get("deadline")
        today = selectors.today()
        if deadline is None or deadline >= today or self._kept_deadline(deadline):
            return deadline
        raise forms.ValidationError(
            _("Hạn hoàn thành %(day)s đã qua; hãy chọn từ hôm nay (%(today)s) trở đi."),
            code="past",
            params={"day": f"{deadline:%d/%m/%Y}", "today": f"{today:%d/%m/%Y}"},
        )

    def _kept_deadline(self, deadline: date) -> bool:
        """The task already saved in this row (its id) with this very deadline."""
        saved = self.initial.get("id")
        return (
            bool(saved)
            and self.initial.get("deadline") == deadline
            and (str(self.data.get(self.add_prefix("id"), "")) == str(saved))
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, cooperating = data.get("unit"), data.get("cooperating") or []
        if unit is not None and unit in cooperating:
            self.add_error("cooperating", _("Đơn vị chủ trì không đồng thời là đơn vị phối hợp."))
        return data


def _typed(form: forms.Form, name: str) -> bool:
    return bool(str(form.data.get(form.add_prefix(name)) or "").strip())


class BaseTaskFormSet(forms.BaseFormSet):
    def with_blank_rows(self) -> BaseTaskFormSet:
        """The same formset shown again with its errors and, when every row is filled, `extra`
        blank rows more, so that a clerk without JavaScript can still add tasks."""
        if not self.is_bound or any(not _typed(form, "title") for form in self.forms):
            return self
        data = QueryDict(mutable=True)
        data.update(self.data)
        total = min(self.total_form_count() + self.extra, self.max_num)
        data[f"{self.prefix}-TOTAL_FORMS"] = str(total)
        return type(self)(data, prefix=self.prefix, initial=self.initial)

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
    # A posted TOTAL_FORMS of 10**20 builds and shows at most this many rows (Django's own bound
    # is max_num + 1 000: a second to render each time).
    absolute_max=MAX_TASKS,
    validate_max=True,
)


def task_formset(data: Any = None, initial: list[dict[str, Any]] | None = None) -> BaseTaskFormSet:
    """The notice's task rows: its saved tasks (`initial`) and two blank rows."""
    return TaskFormSet(data, prefix="tasks", initial=initial)  # type: ignore[return-value]


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
