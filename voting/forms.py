"""Opening a vote: the question, its options and how it runs."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import choose_from
from meetings.forms import DateTimeInput
from meetings.models import AgendaItem, Meeting

from .models import Vote
from .services import DEFAULT_OPTIONS, MAX_OPTIONS


class VoteForm(forms.Form):
    question = forms.CharField(
        label=_("Nội dung biểu quyết"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Thuộc nội dung họp"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("— Cả cuộc họp —"),
    )
    custom = forms.BooleanField(
        label=_("Dùng phương án riêng thay cho Đồng ý / Không đồng ý / Không biểu quyết"),
        required=False,
    )
    options = forms.CharField(
        label=_("Các phương án (mỗi dòng một phương án)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    max_choices = forms.IntegerField(
        label=_("Mỗi phiếu được chọn tối đa"),
        min_value=1,
        max_value=MAX_OPTIONS,
        initial=1,
    )
    is_secret = forms.TypedChoiceField(
        label=_("Hình thức"),
        choices=[
            ("0", _("Công khai (ghi tên người chọn)")),
            ("1", _("Bỏ phiếu kín (không ai biết ai chọn gì; phiếu không sửa được)")),
        ],
        coerce=lambda v: v == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    electorate = forms.ChoiceField(
        label=_("Ai được biểu quyết"),
        choices=Vote.Electorate.choices,
        initial=Vote.Electorate.PRESENT,
        widget=forms.RadioSelect,
    )
    may_change = forms.BooleanField(
        label=_("Cho phép đổi lựa chọn khi đang biểu quyết (chỉ biểu quyết công khai)"),
        required=False,
    )
    closes_at = forms.DateTimeField(
        label=_("Tự động kết thúc lúc (không bắt buộc)"),
        required=False,
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"],
        widget=DateTimeInput(),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(
            self,
            "agenda_item",
            AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"),
        )

    def clean_closes_at(self) -> Any:
        value = self.cleaned_data.get("closes_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("Thời điểm kết thúc phải ở tương lai."))
        return value

    def option_labels(self) -> list[str]:
        if not self.cleaned_data.get("custom"):
            # Stored as said in the room: the record keeps the words the voters saw.
            return list(DEFAULT_OPTIONS)
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_secret") and data.get("may_change"):
            self.add_error(
                "may_change", _("Bỏ phiếu kín không cho đổi lựa chọn: phiếu không gắn với người.")
            )
        if data.get("custom"):
            labels = [line for line in self.option_labels() if line]
            if len(labels) < 2:
                self.add_error("options", _("Cần ít nhất hai phương án, mỗi dòng một phương án."))
        return data
