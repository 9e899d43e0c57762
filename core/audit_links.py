"""Links from audit log entries to what they are about: the record's page in the admin and the
account of the person, where the IT centre may open them. A record deleted since, or one the
admin's list leaves out (a draft meeting), keeps its name without a link: one query per kind of
record on the page, not one per row."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.contrib.admin import AdminSite
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def _change_url(site: AdminSite, model: Any, pk: Any) -> str:
    try:
        return reverse(
            f"{site.name}:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[quote(pk)],
        )
    except NoReverseMatch:
        return ""


def _visible(site: AdminSite, request: HttpRequest, model: Any, keys: set[str]) -> set[str]:
    """Which of these records the admin's own list of that model shows this account."""
    model_admin = site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        return set()
    typed = []
    for key in keys:
        try:
            typed.append(model._meta.pk.to_python(key))
        except (ValidationError, ValueError, TypeError):
            continue
    found = model_admin.get_queryset(request).filter(pk__in=typed).values_list("pk", flat=True)
    return {str(pk) for pk in found}


def link_entries(entries: Iterable[LogEntry], request: HttpRequest, site: AdminSite) -> None:
    """Sets `object_url` and `actor_url` on each entry ("" where there is nothing to open)."""
    entries = list(entries)
    keys: dict[int, set[str]] = defaultdict(set)
    for entry in entries:
        keys[entry.content_type_id].add(entry.object_pk)
    visible = {}
    for type_id, wanted in keys.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        visible[type_id] = _visible(site, request, model, wanted) if model else set()
    user_model = get_user_model()
    users = site._registry.get(user_model)
    may_open_accounts = users is not None and users.has_view_or_change_permission(request)
    for entry in entries:
        shown = entry.object_pk in visible[entry.content_type_id]
        model = entry.content_type.model_class()
        entry.object_url = _change_url(site, model, entry.object_pk) if shown else ""  # type: ignore[attr-defined]
        entry.actor_url = (  # type: ignore[attr-defined]
            _change_url(site, user_model, entry.actor_id)
            if may_open_accounts and entry.actor_id
            else ""
        )
