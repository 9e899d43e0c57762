from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tổ chức và tài khoản")

    def ready(self) -> None:
        from . import audit, signals  # noqa: F401
