from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.phones import vn_mobile

from .models import Event, NoticeChannel


class NoticeChannelsForm(forms.Form):
    """The account's mobile number and, per kind of notice, e-mail, SMS or both."""

    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=30,
        required=False,
        help_text=_("Số di động Việt Nam, ví dụ 0912 345 678 hoặc +84 912 345 678."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, sms_enabled: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = NoticeChannel.Choice.choices if sms_enabled else NoticeChannel.Choice.choices[:1]
        for kind, label in Event.Kind.choices:
            self.fields[f"kind_{kind}"] = forms.ChoiceField(
                label=label, choices=choices, initial=NoticeChannel.Choice.EMAIL
            )

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and vn_mobile(phone) is None:
            raise forms.ValidationError(
                _("Đây không phải số di động Việt Nam (10 chữ số, đầu 03, 05, 07, 08, 09).")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wants_sms = any(
            cleaned.get(f"kind_{kind}") in (NoticeChannel.Choice.SMS, NoticeChannel.Choice.BOTH)
            for kind in Event.Kind.values
        )
        if wants_sms and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Cần số điện thoại di động để nhận thông báo qua SMS."))
        return cleaned

    def choices(self) -> dict[str, str]:
        return {kind: self.cleaned_data[f"kind_{kind}"] for kind in Event.Kind.values}
