from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Ý kiến góp ý")

    def ready(self) -> None:
        from meetings.archiving import register

        from . import audit, exporting, polling  # noqa: F401

        register("comments", exporting.archive_records, order=40)
