"""Forms of the API's pages and the API's own inputs; services do the writing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Committee, Person, Unit

from .models import AccessToken
from .services import DEFAULT_DAYS

DAY_CHOICES = [
    (30, _("30 ngày")),
    (90, _("90 ngày")),
    (180, _("180 ngày")),
    (365, _("365 ngày")),
]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Ví dụ: “Hệ thống quản lý văn bản” hoặc “Điện thoại của tôi”."),
    )
    scope = forms.ChoiceField(
        label=_("Phạm vi"),
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        help_text=_(
            "“Đọc và ghi” chỉ cần cho hệ thống tạo cuộc họp, thêm tài liệu hoặc phát hành thay "
            "cho người tổ chức; quyền của tài khoản vẫn được áp dụng như trên trang."
        ),
    )
    days = forms.TypedChoiceField(
        label=_("Thời hạn"), choices=DAY_CHOICES, coerce=int, initial=DEFAULT_DAYS
    )


class InviteesForm(forms.Form):
    """Invitees to add, by id; only active ones, as on the meeting form's picker."""

    units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.filter(is_active=True), required=False
    )
    committees = forms.ModelMultipleChoiceField(
        queryset=Committee.objects.filter(is_active=True), required=False
    )
    persons = forms.ModelMultipleChoiceField(
        queryset=Person.objects.filter(is_active=True), required=False
    )

    def chosen(self) -> dict[str, list[Any]]:
        return {name: list(self.cleaned_data.get(name) or []) for name in self.fields}
