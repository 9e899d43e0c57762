from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Kết xuất hồ sơ")

    def ready(self) -> None:
        from . import audit  # noqa: F401
