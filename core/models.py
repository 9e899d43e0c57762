"""Building blocks shared by the data apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class ActiveQuerySet(models.QuerySet):
    def active(self) -> "ActiveQuerySet":
        return self.filter(is_active=True)


class DeactivatableModel(TimeStampedModel):
    """Official records are never hard-deleted once referenced (A1): they are deactivated."""

    is_active = models.BooleanField(
        _("đang hoạt động"),
        default=True,
        help_text=_("Bỏ chọn để ngừng sử dụng; bản ghi vẫn được giữ lại cho lịch sử."),
    )

    objects = ActiveQuerySet.as_manager()

    class Meta:
        abstract = True


def field_label(model: type[models.Model], name: str) -> str:
    """A field's verbose name, as the history and the comparisons show it; a reverse relation has
    none and keeps its own name. An unknown name raises FieldDoesNotExist."""
    field = model._meta.get_field(name)
    if isinstance(field, models.Field):
        return str(field.verbose_name)
    return name
