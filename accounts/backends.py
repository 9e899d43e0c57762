"""The permission backend: the apps' rules, and Django admin's "may this account open the app"."""

import rules

from .models import User
from .rules import ADMIN_APPS, is_admin


class RulesBackend(rules.permissions.ObjectPermissionBackend):
    """django-rules' backend, answering also Django admin's "may this account see the app at all"
    from the apps' rules (Django's own answer reads permission rows nobody here keeps)."""

    def has_module_perms(self, user_obj: User, app_label: str) -> bool:
        return app_label in ADMIN_APPS and bool(is_admin(user_obj)) and user_obj.is_active
