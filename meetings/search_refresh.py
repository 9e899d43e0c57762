"""Keeps the meetings' folded search columns true when a name they copy changes (S2).

A meeting's search columns hold the names of its organising unit, its room and its chair. When
one of those is renamed in the admin, the meetings that name it are folded again: after the
rename is committed, through the task queue (a unit may have organised thousands of meetings),
in batches, without touching `updated_at` (a rename is not a change to the meeting's record).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save, pre_save

from accounts.models import Person, Unit
from catalogs.models import Location
from core import public_cache

from .models import Meeting

log = logging.getLogger(__name__)
BATCH = 1000

# model -> (the fields a meeting copies, the meeting's foreign key to it)
COPIED: dict[type[Model], tuple[tuple[str, ...], str]] = {
    Unit: (("name", "short_name"), "organiser_unit"),
    Location: (("name",), "location"),
    Person: (("full_name",), "chair"),
}


def refresh_meetings(model_label: str, pk: int) -> int:
    """Folds again the search columns of every meeting that copies this object's name."""
    links = {model._meta.label: link for model, (_fields, link) in COPIED.items()}
    link = links[model_label]
    meetings = (
        Meeting.objects.filter(**{f"{link}_id": pk})
        .select_related("organiser_unit", "location", "chair")
        .order_by("pk")
    )
    batch: list[Meeting] = []
    done = 0
    for meeting in meetings.iterator(chunk_size=BATCH):
        meeting.refresh_search()
        batch.append(meeting)
        if len(batch) == BATCH:
            Meeting.objects.bulk_update(batch, Meeting.SEARCH_FIELDS)
            done += len(batch)
            batch = []
    Meeting.objects.bulk_update(batch, Meeting.SEARCH_FIELDS)
    return done + len(batch)


def _queue(model_label: str, pk: int) -> None:
    from django_q.tasks import async_task

    try:
        async_task("meetings.search_refresh.refresh_meetings", model_label, pk)
    except Exception:  # no broker: do it here rather than leave the search stale
        log.warning("Task queue unreachable; refreshing meeting search columns in the request.")
        refresh_meetings(model_label, pk)


def _remember_names(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    fields, _link = COPIED[sender]
    instance._names_before = (
        sender._default_manager.filter(pk=instance.pk).values_list(*fields).first()
    )


def _names_changed(sender: type[Model], instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        return
    fields, _link = COPIED[sender]
    before = getattr(instance, "_names_before", None)
    if before is None or tuple(getattr(instance, f) for f in fields) == tuple(before):
        return
    label, pk = sender._meta.label, instance.pk
    public_cache.bump()  # the public pages print these names too
    transaction.on_commit(lambda: _queue(label, pk))


for _model in COPIED:
    pre_save.connect(_remember_names, sender=_model, dispatch_uid=f"search-names-{_model}")
    post_save.connect(_names_changed, sender=_model, dispatch_uid=f"search-refresh-{_model}")
