from typing import Any, Protocol, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)


class PermissionHolder(Protocol):
    """Whoever can be asked for a permission: an account or the anonymous visitor (core knows no
    app, so not the accounts' User by name)."""

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


def get_object_for(user: PermissionHolder, perm: str, queryset: QuerySet[M], **lookup: Any) -> M:
    """Load, then check access: an object the user may not see answers 404, exactly like one that
    does not exist, so that guessing ids reveals nothing (D2)."""
    obj = get_object_or_404(queryset, **lookup)
    if not user.has_perm(perm, obj):
        raise Http404
    return obj
