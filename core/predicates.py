"""Predicates that know no app, from which each app's `rules.py` builds its named rules.

Every action of the product is one rule, `<app>.<action>_<model>`, written in that app's
`rules.py` (django-rules finds those files when the apps are ready: `rules.apps.
AutodiscoverRulesConfig`). Views and templates ask `user.has_perm(name, obj)` and never decide by
themselves. What several apps share sits one floor down: the predicates below, which look only at
attribute names, and the roles' predicates in `accounts.rules`.
"""

from collections.abc import Callable
from typing import Any

import rules


def owned_through(attribute: str) -> Callable[..., bool]:
    """A predicate true when `obj.<attribute>` is the account's own id (an author, an owner, the
    account that asked)."""

    def owns(user: Any, obj: object) -> bool:
        return (
            obj is not None
            and bool(getattr(user, "is_authenticated", False))
            and getattr(obj, attribute, None) == user.pk
        )

    owns.__name__ = f"owned_through_{attribute}"
    return rules.predicate(owns)


def status_is(value: str, through: str | None = None) -> Callable[..., bool]:
    """A predicate true when the object's `status` (or that of `obj.<through>`) is `value`."""

    def has_status(user: Any, obj: object) -> bool:
        target = getattr(obj, through, None) if through else obj
        return getattr(target, "status", None) == value

    has_status.__name__ = f"status_is_{value}"
    return rules.predicate(has_status)


is_author = owned_through("author_id")
