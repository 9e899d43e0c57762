"""Meeting documents (M3), their versions and every download (M7)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import LoginEvent, Unit
from catalogs.models import DocumentField, DocumentType
from core.models import TimeStampedModel
from meetings.models import Meeting


def storage_name(instance: "DocumentVersion", filename: str) -> str:
    """Generated names only: what users call a file never reaches the file system."""
    today = timezone.localdate()
    return f"documents/{today:%Y/%m}/{uuid.uuid4().hex}"


class DocumentQuerySet(models.QuerySet):
    def alive(self) -> "DocumentQuerySet":
        return self.filter(deleted_at__isnull=True)


class Document(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("trích yếu, tên tài liệu"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    type = models.ForeignKey(
        DocumentType,
        verbose_name=_("loại văn bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.ForeignKey(
        DocumentField,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=100)
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("thuộc nội dung họp"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    current = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("phiên bản hiện hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="current_of",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("xoá lúc"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xoá"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deleted_reason = models.TextField(_("lý do xoá"), blank=True)
    # Restricted documents (B11): read by the organiser side and the chosen invitees only (all
    # the meeting's invitees when none is chosen), watermarked in the viewer and in downloads.
    # Who may read one is documents.selectors.readable_by, the rule asks the same.
    restricted = models.BooleanField(
        _("tài liệu hạn chế"),
        default=False,
        help_text=_(
            "Chỉ ban tổ chức và thành phần mời được chọn xem được; có dấu chìm tên người xem."
        ),
    )
    audience = models.ManyToManyField(
        "meetings.Invitation",
        verbose_name=_("thành phần được xem"),
        blank=True,
        related_name="restricted_documents",
        help_text=_("Không chọn ai: mọi thành phần mời của cuộc họp."),
    )
    allow_download = models.BooleanField(
        _("cho phép tải về"),
        default=False,
        help_text=_(
            "Tài liệu hạn chế tải về là bản PDF có dấu chìm; không cho phép thì chỉ đọc trực tuyến."
        ),
    )
    # Offline reading: a restricted document is kept on a reader's device only where the
    # organiser allows it, and then only as the copy stamped for that reader.
    allow_offline = models.BooleanField(
        _("cho phép đọc ngoại tuyến"),
        default=False,
        help_text=_(
            "Tài liệu hạn chế được lưu trên máy người đọc (bản PDF có dấu chìm của người đó) để "
            "đọc khi không có mạng."
        ),
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = pgettext_lazy("plural", "tài liệu")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def downloadable(self) -> bool:
        """A restricted document is downloaded only where the organiser allows it (B11)."""
        return not self.restricted or self.allow_download


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("tài liệu"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản"), default=1)
    file = models.FileField(_("tệp"), upload_to=storage_name, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=150)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phiên bản tài liệu")
        verbose_name_plural = pgettext_lazy("plural", "phiên bản tài liệu")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"


class Download(models.Model):
    """One download of one version by one account (M7); also counted on the login log (A3)."""

    document = models.ForeignKey(
        Document, verbose_name=_("tài liệu"), on_delete=models.CASCADE, related_name="downloads"
    )
    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("phiên bản"),
        on_delete=models.CASCADE,
        related_name="downloads",
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="downloads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="downloads",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    login_event = models.ForeignKey(
        LoginEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="downloads"
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("lượt tải tài liệu")
        verbose_name_plural = pgettext_lazy("plural", "lượt tải tài liệu")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["meeting", "user"]),
            models.Index(fields=["meeting", "unit"]),
            # A unit's downloads of one month: the statistics' kept counts (reports.figures).
            models.Index(fields=["unit", "at"], name="download_unit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id} – {self.user_id}"
