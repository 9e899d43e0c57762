"""The filters of the meeting lists' search form (every field but the words), `{% search_filters
form %}` in meetings/_search.html.

Opened as it is (no search, no filter: most views of a list), the filters are the same markup for
everyone: five select boxes, two of them the province's 1 000 units, about 50 kB that took 4 ms
to read and write on every page at a province's size (five queries, the options read, each field
through its template). So that markup is kept per process for the form's class, the language, the
time zone and the URL prefix, and the version of the lists it shows (`CHOICES`, kept in Django's
cache and shared by every app server: core.polling), bumped whenever a unit or a catalog entry is
added or deleted, or saved with another name or in or out of a list. What is written in bulk
without signals shows within REFRESH seconds, when the kept markup is made again. A form filled
in (filters chosen, or refused with their messages) is written as it is, every time; a search of
words alone, its filters sent empty or not at all (a browser sends every field), shows the filters
as opened and is given the kept markup too (written afresh, only its empty date boxes would say
`value=""`). With DEBUG on (development) nothing is kept."""

import time
from collections import OrderedDict
from typing import Any

from django import forms, template
from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Unit
from catalogs.models import MeetingField, MeetingForm, MeetingType
from core import polling

register = template.Library()

CHOICES = "meetings:search-choices"
REFRESH = 300
KEPT = 16
_kept: OrderedDict[tuple[Any, ...], SafeString] = OrderedDict()


def _written(form: forms.Form) -> SafeString:
    # Each field as Django writes it (its own templates, escaped there).
    fields = "".join(
        f'<div class="col-6 col-md-4 col-lg-3">{field.as_field_group()}</div>'
        for field in form
        if field.name != "q"
    )
    return mark_safe(fields)  # noqa: S308


def _as_opened(form: forms.Form) -> bool:
    """Whether the filters show as on the form opened as it is: none of them given a value."""
    return not form.is_bound or all(
        form.data.get(field.html_name) in (None, "") for field in form if field.name != "q"
    )


@register.simple_tag
def search_filters(form: forms.Form) -> SafeString:
    if settings.DEBUG or not _as_opened(form):
        return _written(form)
    key = (
        type(form),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        polling.current([CHOICES])[CHOICES],
        int(time.time() // REFRESH),
    )
    written = _kept.get(key)
    if written is None:
        # Kept as the form opened as it is writes it, whichever page came first.
        written = _written(form if not form.is_bound else type(form)())
        while len(_kept) >= KEPT:
            _kept.popitem(last=False)
        _kept[key] = written
    return written


# What the filters show of each model: its name, and what chooses it into a list.
SHOWN: dict[type[Model], tuple[str, ...]] = {
    Unit: ("name", "may_organise", "is_active"),
    MeetingType: ("name",),
    MeetingForm: ("name",),
    MeetingField: ("name",),
}


def _remember(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if instance.pk is not None:
        rows = sender._default_manager.filter(pk=instance.pk)
        instance._shown_before = rows.values_list(*SHOWN[sender]).first()


def _saved(sender: type[Model], instance: Any, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_shown_before", None)
    if created or before != tuple(getattr(instance, f) for f in SHOWN[sender]):
        polling.bump(CHOICES)


def _deleted(**kwargs: Any) -> None:
    polling.bump(CHOICES)


for model in SHOWN:
    pre_save.connect(_remember, sender=model, dispatch_uid=f"search-choices-before-{model}")
    post_save.connect(_saved, sender=model, dispatch_uid=f"search-choices-saved-{model}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-choices-deleted-{model}")
