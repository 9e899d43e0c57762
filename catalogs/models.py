"""Danh mục (A5): the lists meetings and documents pick from. Admins keep them; entries are
deactivated, never deleted, once something refers to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Unit, code_validator
from core.models import DeactivatableModel


class CatalogEntry(DeactivatableModel):
    code = models.CharField(_("mã"), max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(_("tên"), max_length=150, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=100)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class MeetingForm(CatalogEntry):
    """Hình thức họp: trực tiếp, trực tuyến, kết hợp."""

    is_online = models.BooleanField(_("có họp trực tuyến"), default=False)
    is_in_person = models.BooleanField(_("có họp tại phòng"), default=True)

    class Meta(CatalogEntry.Meta):
        verbose_name = _("hình thức họp")
        verbose_name_plural = pgettext_lazy("plural", "hình thức họp")


class MeetingType(CatalogEntry):
    """Loại hình họp, each with the minimum notice the regulation asks for (M2)."""

    min_notice_days = models.PositiveSmallIntegerField(
        _("số ngày báo trước tối thiểu"),
        default=3,
        help_text=_("Họp thường kỳ: 3 ngày; họp bất thường, khẩn: 1 ngày."),
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = _("loại hình họp")
        verbose_name_plural = pgettext_lazy("plural", "loại hình họp")


class MeetingField(CatalogEntry):
    class Meta(CatalogEntry.Meta):
        verbose_name = _("lĩnh vực cuộc họp")
        verbose_name_plural = pgettext_lazy("plural", "lĩnh vực cuộc họp")


class DocumentType(CatalogEntry):
    class Meta(CatalogEntry.Meta):
        verbose_name = _("loại văn bản")
        verbose_name_plural = pgettext_lazy("plural", "loại văn bản")


class DocumentField(CatalogEntry):
    class Meta(CatalogEntry.Meta):
        verbose_name = _("lĩnh vực văn bản")
        verbose_name_plural = pgettext_lazy("plural", "lĩnh vực văn bản")


class Location(DeactivatableModel):
    """Địa điểm, phòng họp of a unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(_("tên phòng họp"), max_length=150)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(_("sức chứa (người)"), null=True, blank=True)
    has_video_conference = models.BooleanField(_("có thiết bị họp trực tuyến"), default=False)

    class Meta:
        verbose_name = _("địa điểm họp")
        verbose_name_plural = pgettext_lazy("plural", "địa điểm họp")
        ordering = ["unit__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="unique_location_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.unit.short_name or self.unit.name}"


class DocumentRegister(DeactivatableModel):
    """Sổ văn bản of a unit: where its outgoing documents are numbered."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="registers"
    )
    name = models.CharField(_("tên sổ"), max_length=150)
    symbol = models.CharField(
        _("ký hiệu"), max_length=30, blank=True, help_text=_("Ví dụ: VP-UBND, SKHĐT.")
    )
    year = models.PositiveSmallIntegerField(_("năm"))

    class Meta:
        verbose_name = _("sổ văn bản")
        verbose_name_plural = pgettext_lazy("plural", "sổ văn bản")
        ordering = ["unit__order", "-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name", "year"], name="unique_register_per_unit_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}) – {self.unit.short_name or self.unit.name}"
