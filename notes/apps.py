from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "notes"
    verbose_name = _("Ghi chú")

    def ready(self) -> None:
        # The viewer is the lower floor: it includes the panels registered with it.
        from viewer import panels

        panels.register("notes/_viewer_panel.html")
