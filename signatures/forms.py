from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import choose_from

from .models import SigningKey


class SignForm(forms.Form):
    key = forms.ModelChoiceField(
        label=_("Khoá ký số"), queryset=SigningKey.objects.none(), empty_label=None
    )
    secret = forms.CharField(
        label=_("Mật khẩu tệp khoá hoặc mã PIN thiết bị"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args: Any, keys: list[SigningKey], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "key", SigningKey.objects.filter(pk__in=[k.pk for k in keys]))
