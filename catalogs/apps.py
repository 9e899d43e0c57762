from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogsConfig(AppConfig):
    name = "catalogs"
    verbose_name = _("Danh mục")

    def ready(self) -> None:
        from . import audit  # noqa: F401
