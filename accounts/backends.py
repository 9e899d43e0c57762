"""The authentication backends: the password check, and the permission answers from the rules.

Every "may this account ..." is a rule (each app's rules.py), so the password backend answers no
permission question: Django's `ModelBackend` would read the permission tables on every signed-in
request that asks a rule which says no, for rows nobody here keeps (and a row given by hand would
grant what the rules refuse)."""

from typing import Any

import rules
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.utils import timezone

from .kept import ANYONE, kept_rows
from .models import User
from .rules import ADMIN_APPS, is_admin


def _signed_in(anyone: User, now: Any, pk: Any) -> QuerySet[User]:
    return User._default_manager.select_related("unit").filter(pk=pk)


class PasswordBackend(ModelBackend):
    """Signs in with a username and password (Django's check: the hashers, inactive accounts
    refused), and loads the signed-in account with its unit, which every page's menu names."""

    def get_user(self, user_id: Any) -> User | None:
        # Every signed-in request reads its account: the query is built and compiled once per
        # process (accounts.kept), the id put in (an id the ORM would have to make a number of
        # is read as the ORM reads it).
        rows = kept_rows(
            "accounts.signed_in", _signed_in, ANYONE, timezone.now(), ids={"pk": user_id}
        )
        user = rows[0] if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False

    def with_perm(self, *args: Any, **kwargs: Any) -> Any:
        return User._default_manager.none()


class RulesBackend(rules.permissions.ObjectPermissionBackend):
    """django-rules' backend, answering also Django admin's "may this account see the app at all"
    from the apps' rules (Django's own answer reads permission rows nobody here keeps)."""

    def has_module_perms(self, user_obj: User, app_label: str) -> bool:
        return app_label in ADMIN_APPS and bool(is_admin(user_obj)) and user_obj.is_active
