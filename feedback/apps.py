from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Góp ý phần mềm")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Feedback

        auditlog.register(Feedback)
