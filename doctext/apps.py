from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoctextConfig(AppConfig):
    name = "doctext"
    verbose_name = _("Nội dung tài liệu")

    def ready(self) -> None:
        from documents.processing import register

        from .services import text_queue

        register("doctext", lambda version: text_queue(version=version, new=True))
