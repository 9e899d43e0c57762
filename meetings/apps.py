from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Cuộc họp")

    def ready(self) -> None:
        from . import audit, polling, public_pages, search_refresh  # noqa: F401
        from .archiving import register
        from .invitation import archive_records
        from .templatetags import search_filters  # noqa: F401 (its signals)

        register("invitation", archive_records, order=10)
