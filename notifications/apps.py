from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts.notices import account_notice
        from meetings.notices import changes_recorded

        from . import channels
        from .accounts import on_account_notice
        from .channels.email import EmailChannel
        from .channels.sms import JasminChannel
        from .schedules import ensure_schedules
        from .services import on_changes_recorded

        post_migrate.connect(ensure_schedules, sender=self)
        # The outbox's channels, in the order a worker's pass serves them.
        channels.register(EmailChannel())
        channels.register(JasminChannel())
        # What meetings and documents recorded is told to the invitees (M5).
        changes_recorded.connect(on_changes_recorded, dispatch_uid="notifications.changes")
        account_notice.connect(on_account_notice, dispatch_uid="notifications.account_notice")
