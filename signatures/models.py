"""Digital signatures (B14): the signers' keys (references only), the PDFs signed here, the roots
the admin trusts and what the check found in uploaded PDFs.

No private key is ever stored here: a PKCS#12 key stays a file in settings.SIGNING_KEY_DIR and a
token's key stays on the token; a row holds the file's name or the token's labels and what the
certificate says (subject, serial, expiry), all public."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel


def signed_name(instance: "SignedPdf", filename: str) -> str:
    today = timezone.localdate()
    return f"signed/{today:%Y/%m}/{uuid.uuid4().hex}.pdf"


class SigningKey(TimeStampedModel):
    class Kind(models.TextChoices):
        PKCS12 = "pkcs12", _("Tệp khoá PKCS#12 (.p12) trên máy chủ")
        PKCS11 = "pkcs11", _("Thiết bị ký số (USB token, PKCS#11)")

    label = models.CharField(_("tên gọi"), max_length=150)
    kind = models.CharField(_("loại khoá"), max_length=10, choices=Kind.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giữ khoá"),
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    file_name = models.CharField(
        _("tên tệp trong kho khoá"),
        max_length=255,
        blank=True,
        help_text=_("Chỉ tên tệp .p12 trong thư mục kho khoá của máy chủ (SIGNING_KEY_DIR)."),
    )
    token_label = models.CharField(_("nhãn thiết bị (token)"), max_length=100, blank=True)
    key_label = models.CharField(_("nhãn khoá trên thiết bị"), max_length=100, blank=True)
    cert_label = models.CharField(_("nhãn chứng thư trên thiết bị"), max_length=100, blank=True)
    subject = models.CharField(_("chủ thể chứng thư"), max_length=500, blank=True)
    serial = models.CharField(_("số hiệu chứng thư"), max_length=100, blank=True)
    not_after = models.DateTimeField(_("chứng thư hết hạn"), null=True, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("khoá ký số")
        verbose_name_plural = pgettext_lazy("plural", "khoá ký số")
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return self.label


class SignedPdf(models.Model):
    """A PDF signed here: the record (minutes, conclusion notice) it was made from, by whom."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("tệp đã ký"), upload_to=signed_name, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    title = models.CharField(_("tên văn bản"), max_length=500)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    key_label = models.CharField(_("khoá đã dùng"), max_length=150)
    cert_subject = models.CharField(_("chủ thể chứng thư"), max_length=500)
    signed_at = models.DateTimeField(_("ký lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("văn bản đã ký số")
        verbose_name_plural = pgettext_lazy("plural", "văn bản đã ký số")
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-signed_at"])]

    def __str__(self) -> str:
        return self.title


class TrustedRoot(TimeStampedModel):
    """A root CA the admin trusts (e.g. the national root CA): certificates are public data."""

    label = models.CharField(_("tên gọi"), max_length=150)
    certificate = models.BinaryField(_("chứng thư (DER)"))
    subject = models.CharField(_("chủ thể"), max_length=500)
    fingerprint = models.CharField(_("vân tay SHA-256"), max_length=64, unique=True)
    not_after = models.DateTimeField(_("hết hạn"))

    class Meta:
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = pgettext_lazy("plural", "chứng thư gốc tin cậy")
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return self.label


class VersionCheck(models.Model):
    """The signature check of one uploaded PDF version; its signatures below."""

    class State(models.TextChoices):
        DONE = "done", _("đã kiểm tra")
        FAILED = "failed", _("không đọc được")

    version = models.OneToOneField(
        "documents.DocumentVersion",
        verbose_name=_("phiên bản tài liệu"),
        on_delete=models.CASCADE,
        related_name="signature_check",
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices)
    checked_at = models.DateTimeField(_("kiểm tra lúc"), default=timezone.now)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("kết quả kiểm tra chữ ký")
        verbose_name_plural = pgettext_lazy("plural", "kết quả kiểm tra chữ ký")

    def __str__(self) -> str:
        return f"{self.version_id}: {self.state}"


class FoundSignature(models.Model):
    class Integrity(models.TextChoices):
        INTACT = "intact", _("Nguyên vẹn từ khi ký")
        MODIFIED = "modified", _("Đã bị sửa đổi sau khi ký")
        BROKEN = "broken", _("Nội dung đã bị thay đổi sau khi ký, chữ ký không còn khớp")

    check_result = models.ForeignKey(
        VersionCheck, on_delete=models.CASCADE, related_name="signatures"
    )
    order = models.PositiveSmallIntegerField(default=1)
    field_name = models.CharField(max_length=200, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=300, blank=True)
    signer_organisation = models.CharField(_("cơ quan"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    integrity = models.CharField(_("toàn vẹn"), max_length=10, choices=Integrity.choices)
    trusted = models.BooleanField(_("chứng thư tin cậy"), default=False)
    detail = models.CharField(_("chi tiết"), max_length=500, blank=True)

    class Meta:
        ordering = ["check_result", "order"]

    def __str__(self) -> str:
        return self.signer_name
