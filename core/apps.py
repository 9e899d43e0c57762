from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Hệ thống")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models import IntegerField

        from . import changes
        from .lookups import IntegerFieldIn

        IntegerField.register_lookup(IntegerFieldIn)
        # Every connection's writes make the data's generation new (core.changes).
        connection_created.connect(changes.watch, dispatch_uid="core.changes.watch")
