"""Reading documents in the page (B2): the pdf.js viewer, and Office files converted to PDF
once per version in the background."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ViewerConfig(AppConfig):
    name = "viewer"
    verbose_name = _("Đọc tài liệu")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the new-version receiver
