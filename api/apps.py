from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API cho hệ thống khác")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.notices import PASSWORD_RESET, account_notice

        from . import audit, services  # noqa: F401 (audit: names of the API's audit events)

        def on_account_notice(
            sender: object, *, user: Any, kind: str, by: Any = None, **kw: Any
        ) -> None:
            if kind == PASSWORD_RESET:
                services.tokens_revoke_all(owner=user, by=by)

        account_notice.connect(on_account_notice, dispatch_uid="api.revoke_on_reset", weak=False)
