from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Lịch họp")

    def ready(self) -> None:
        from core import audit_labels

        # A new feed address (services.calendar_token_renew), named for the IT centre.
        audit_labels.register(
            events={"calendar_token_renewed": _("Tạo đường dẫn lịch mới")},
            keys={"calendar_token": _("đường dẫn lịch")},
        )
