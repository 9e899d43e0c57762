from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Biên bản họp")

    def ready(self) -> None:
        from meetings.archiving import register as register_records

        from . import archiving, audit  # noqa: F401
        from .signing import register

        register()
        register_records("minutes", archiving.archive_records, order=50)
