from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from . import sso
from .models import User
from .services import password_change, temporary_password_expired


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: nhập sai nhiều lần liên tiếp, "
            "tài khoản sẽ bị tạm khoá."
        ),
        "inactive": _("Tài khoản này đã ngừng hoạt động. Vui lòng liên hệ quản trị hệ thống."),
        "temporary_expired": _(
            "Mật khẩu tạm thời đã hết hạn. Hãy đề nghị Trung tâm CNTT đặt lại mật khẩu."
        ),
        "password_not_allowed": _(
            "Đăng nhập bằng mật khẩu chỉ dành cho quản trị hệ thống. Hãy dùng nút "
            "“Đăng nhập bằng %(label)s”."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's form sets the length for the browser only: a longer name reached the sign-in
        # and the lockout's record (255 characters), a 500 on PostgreSQL.
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.validators.append(MaxLengthValidator(username.max_length))
        username.widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if settings.PASSWORD_SIGN_IN == "admins" and user.role != User.Role.ADMIN and sso.enabled():
            # Everyone else signs in through the provider (accounts.sso); without a provider
            # configured the setting would lock them out, so it waits for one.
            raise forms.ValidationError(
                self.error_messages["password_not_allowed"],
                code="password_not_allowed",
                params={"label": settings.OIDC_LABEL},
            )
        if temporary_password_expired(user):
            raise forms.ValidationError(
                self.error_messages["temporary_expired"], code="temporary_expired"
            )


class ChangePasswordForm(PasswordChangeForm):
    """Django's form, saving through the service so history and the forced-change flag follow."""

    user: User

    def __init__(self, *args: Any, keep_session_key: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The session the change is made from stays signed in; the account's others end.
        self.keep_session_key = keep_session_key
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"

    def save(self, commit: bool = True) -> User:
        password_change(
            user=self.user,
            new_password=self.cleaned_data["new_password1"],
            keep_session_key=self.keep_session_key,
        )
        return self.user


class TwoFactorCodeForm(forms.Form):
    """The 6-digit code of the authenticator app, or (at sign-in) one of the backup codes."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class ContactForm(forms.ModelForm):
    """What an account holder keeps up to date themselves: where notices reach them. The name,
    unit and role are the administrator's to change."""

    phone = forms.RegexField(
        label=_("Điện thoại"),
        regex=r"^\+?[0-9][0-9 .()-]{5,28}$",
        required=False,
        max_length=30,
        error_messages={
            "invalid": _("Số điện thoại chỉ gồm chữ số, dấu cách và các ký tự + . ( ) -")
        },
    )

    class Meta:
        model = User
        fields = ["email", "phone"]
        labels = {"email": _("Thư điện tử")}
