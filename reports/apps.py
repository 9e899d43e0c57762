from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Thống kê, báo cáo")

    def ready(self) -> None:
        from . import figures

        figures.connect()
        post_migrate.connect(figures.rebuild_if_empty, sender=self)
