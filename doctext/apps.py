from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoctextConfig(AppConfig):
    name = "doctext"
    verbose_name = _("Nội dung tài liệu")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the new-version receiver
