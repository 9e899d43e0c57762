"""Góp ý phần mềm (A6): users tell the IT centre what to improve; the admin answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel


class Feedback(TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "new", _("Mới")
        ANSWERED = "answered", _("Đã trả lời")
        CLOSED = "closed", _("Đã xử lý xong")

    class Category(models.TextChoices):
        ERROR = "error", _("Báo lỗi")
        SUGGESTION = "suggestion", _("Đề xuất cải tiến")
        QUESTION = "question", _("Hỏi đáp sử dụng")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người góp ý"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    category = models.CharField(
        _("loại góp ý"), max_length=20, choices=Category.choices, default=Category.SUGGESTION
    )
    subject = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"), max_length=10000)
    page_url = models.CharField(_("trang đang xem"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    answer = models.TextField(_("trả lời"), blank=True, max_length=10000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("góp ý phần mềm")
        verbose_name_plural = pgettext_lazy("plural", "góp ý phần mềm")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
