from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Nhiệm vụ")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from meetings.archiving import register as register_records

        from . import archiving, audit  # noqa: F401
        from .schedules import ensure_schedules
        from .signing import register

        register()
        register_records("tasks", archiving.archive_records, order=60)

        post_migrate.connect(ensure_schedules, sender=self)
