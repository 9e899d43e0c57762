from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_SECTION_LENGTH


class MinutesForm(forms.Form):
    """The minutes' text. `based_on` is the version the page showed: a save based on an older
    one is refused by the service (two tabs), with the typed text kept in the form."""

    subject = forms.CharField(label=_("Trích yếu"), max_length=500)
    attendance = forms.CharField(
        label=_("I. Thời gian, địa điểm, thành phần"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=MAX_SECTION_LENGTH,
        required=False,
    )
    proceedings = forms.CharField(
        label=_("II. Nội dung cuộc họp"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=MAX_SECTION_LENGTH,
        required=False,
    )
    conclusions = forms.CharField(
        label=_("III. Kết luận"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_SECTION_LENGTH,
        required=False,
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ApproveForm(forms.Form):
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=60,
        help_text=_("Ví dụ: 12/BB-VPUBND. Được gợi ý theo số biên bản đã phê duyệt trong năm."),
    )
    place = forms.CharField(
        label=_("Địa danh"),
        max_length=100,
        required=False,
        help_text=_("Viết trước ngày tháng, ví dụ: Hà Giang."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RegenerateForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Tôi hiểu: nội dung hiện tại được thay bằng bản lập lại; phiên bản cũ vẫn được lưu."
        )
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
