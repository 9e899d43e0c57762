from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Nhiệm vụ")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import audit  # noqa: F401
        from .schedules import ensure_schedules
        from .signing import register

        register()

        post_migrate.connect(ensure_schedules, sender=self)
