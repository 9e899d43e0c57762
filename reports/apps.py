from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Thống kê, báo cáo")

    def ready(self) -> None:
        from core import batching
        from meetings.notices import receipt_first_viewed

        from . import figures

        figures.connect()
        batching.register("reports.figures", figures.batch)
        receipt_first_viewed.connect(figures.on_receipt_first_viewed, dispatch_uid="reports.viewed")
        post_migrate.connect(figures.rebuild_if_empty, sender=self)
