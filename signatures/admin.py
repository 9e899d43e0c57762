"""The IT centre's pages for digital signatures (B14): the signers' keys (references to a file in
the key store or to a token, never the key), the trusted roots, and the signed PDFs read-only."""

import hashlib
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.admin import ReadOnlyAdminMixin
from core.admin_inputs import BadInputAdminMixin

from . import checking, services
from .models import SignedPdf, SigningKey, TrustedRoot

MAX_CERTIFICATE_BYTES = 64 * 1024


class SigningKeyForm(forms.ModelForm):
    passphrase = forms.CharField(
        label=_("Mật khẩu tệp khoá (chỉ để kiểm tra, không lưu)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "Với tệp .p12: nhập mật khẩu một lần để hệ thống đọc chứng thư (chủ thể, số hiệu, "
            "hạn dùng). Mật khẩu không được lưu."
        ),
    )

    class Meta:
        model = SigningKey
        fields = [
            "label",
            "kind",
            "holder",
            "file_name",
            "token_label",
            "key_label",
            "cert_label",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == SigningKey.Kind.PKCS12:
            if not data.get("file_name"):
                self.add_error("file_name", gettext("Nhập tên tệp .p12 trong kho khoá."))
                return data
            self.instance.file_name = data["file_name"]
            try:
                path = services.key_file(self.instance)
            except ValidationError as error:
                self.add_error("file_name", error)
                return data
            if not path.is_file():
                self.add_error(
                    "file_name",
                    gettext("Không có tệp này trong kho khoá %(dir)s.")
                    % {"dir": settings.SIGNING_KEY_DIR},
                )
                return data
            if data.get("passphrase"):
                try:
                    services.key_fill_from_pkcs12(key=self.instance, passphrase=data["passphrase"])
                except ValidationError as error:
                    self.add_error("passphrase", error)
        elif kind == SigningKey.Kind.PKCS11:
            if not data.get("token_label"):
                self.add_error("token_label", gettext("Nhập nhãn của thiết bị ký số."))
            if not (data.get("key_label") or data.get("cert_label")):
                self.add_error("key_label", gettext("Nhập nhãn khoá hoặc nhãn chứng thư."))
        return data


@admin.register(SigningKey)
class SigningKeyAdmin(BadInputAdminMixin, admin.ModelAdmin):
    form = SigningKeyForm
    list_display = ["label", "kind", "holder", "subject", "not_after", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["label", "holder__username", "subject"]
    list_select_related = ["holder"]
    readonly_fields = ["subject", "serial", "not_after"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*SigningKeyForm.Meta.fields, "passphrase", *self.readonly_fields]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "holder":
            kwargs["queryset"] = User.objects.filter(is_active=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TrustedRootForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Tệp chứng thư gốc (PEM hoặc DER)"),
        help_text=_(
            "Ví dụ chứng thư gốc của Tổ chức cung cấp dịch vụ chứng thực chữ ký số quốc gia."
        ),
    )

    class Meta:
        model = TrustedRoot
        fields = ["label"]

    def clean_upload(self) -> bytes:
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_CERTIFICATE_BYTES:
            raise ValidationError(gettext("Tệp quá lớn để là một chứng thư."))
        data = upload.read()
        cert = services.parse_root(data)
        der = cert.public_bytes(Encoding.DER)
        fingerprint = hashlib.sha256(der).hexdigest()
        others = TrustedRoot.objects.exclude(pk=self.instance.pk)
        if others.filter(fingerprint=fingerprint).exists():
            raise ValidationError(gettext("Chứng thư này đã có trong danh sách tin cậy."))
        self.instance.certificate = der
        self.instance.fingerprint = fingerprint
        self.instance.subject = cert.subject.rfc4514_string()[:500]
        self.instance.not_after = cert.not_valid_after_utc
        return der


@admin.register(TrustedRoot)
class TrustedRootAdmin(BadInputAdminMixin, admin.ModelAdmin):
    form = TrustedRootForm
    list_display = ["label", "subject", "not_after", "fingerprint"]
    search_fields = ["label", "subject", "fingerprint"]
    readonly_fields = ["subject", "fingerprint", "not_after"]
    actions = ["check_again"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["label", "upload", *self.readonly_fields]

    @admin.action(description=_("Kiểm tra lại chữ ký các tài liệu đã tải lên"))
    def check_again(self, request: HttpRequest, queryset: QuerySet[TrustedRoot]) -> None:
        checking.queue_recheck()
        messages.success(request, gettext("Đã đưa việc kiểm tra lại chữ ký vào hàng đợi."))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        checking.queue_recheck()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        checking.queue_recheck()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TrustedRoot]) -> None:
        super().delete_queryset(request, queryset)
        checking.queue_recheck()


@admin.register(SignedPdf)
class SignedPdfAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "signer", "key_label", "cert_subject", "signed_at"]
    search_fields = ["title", "signer__username", "cert_subject"]
    list_select_related = ["signer"]
    exclude = ["file"]
    date_hierarchy = "signed_at"
