"""The public pages' cache (core.public_cache) forgets its pages whenever something they show
changes: a meeting (published, edited, postponed, cancelled, made non-public, deleted), a meeting
type or form. Renamed units, rooms and chairs are caught where the search columns are (see
search_refresh), which knows when a name they print changed."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from catalogs.models import MeetingForm, MeetingType
from core import public_cache

from .models import Meeting

SHOWN = (Meeting, MeetingType, MeetingForm)


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    public_cache.bump()


for model in SHOWN:
    post_save.connect(_changed, sender=model, dispatch_uid=f"public-pages-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"public-pages-{model.__name__}-d")
