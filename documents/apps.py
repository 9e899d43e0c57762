from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Tài liệu họp")

    def ready(self) -> None:
        from . import audit, processing  # noqa: F401

        processing.connect()
