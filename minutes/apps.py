from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Biên bản họp")

    def ready(self) -> None:
        from . import audit  # noqa: F401
        from .signing import register

        register()
