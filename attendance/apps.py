from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Dự họp và điểm danh")

    def ready(self) -> None:
        from meetings.archiving import register

        from . import audit, exporting, polling  # noqa: F401

        register("roll", exporting.archive_records, order=20)
