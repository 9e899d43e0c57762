from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomConfig(AppConfig):
    name = "room"
    verbose_name = _("Điều hành phiên họp")

    def ready(self) -> None:
        from . import audit  # noqa: F401
