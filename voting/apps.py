from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Biểu quyết")

    def ready(self) -> None:
        from meetings.archiving import register

        from . import audit, exporting  # noqa: F401

        register("votes", exporting.archive_records, order=30)
