"""Fragments rendered once per process for the same content: the rows of the meeting lists and of
the to-do list, the meetings of the week calendar, many to a page and the same from one request
to the next.

A fragment is rendered from a few plain values (strings, numbers, dates and times, booleans) and
only from them: its template gets nothing else, no request, no context processor, no object to
follow. Those values, with the active language, time zone and URL prefix, are the key of a bounded
memo in this process; a row whose data changed is another key and is rendered afresh, so nothing
is ever invalidated and nothing can be stale. (A cache shared between processes would cost a round
trip per row, more than the render it saves.)

Why: Django's templates take 0.2 to 0.4 ms a row; at 100 000 meetings, a page of 50 meetings or a
unit's dashboard of 90 meetings and 50 things to do spent 15 to 45 ms of its time in its rows.
With DEBUG on (development), nothing is kept, so that an edited template shows at once."""

from collections.abc import Hashable
from functools import lru_cache

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeData, SafeString, mark_safe

# About 1 KB a row: a few megabytes a process at most.
KEPT = 8192


def _render(template_name: str, values: tuple[tuple[str, Hashable, bool], ...]) -> SafeString:
    written = get_template(template_name).render({name: value for name, value, _ in values})
    return mark_safe(written)  # noqa: S308 (a template's output, escaped as it was written)


_kept = lru_cache(maxsize=KEPT)(
    lambda template_name, _language, _zone, _prefix, values: _render(template_name, values)
)


def fragment(template_name: str, **values: Hashable) -> SafeString:
    """The template rendered with these values alone; from the memo when rendered before in this
    language, time zone and URL prefix. Each value's safety is part of the key: a text already
    escaped (a search snippet) is not the same value as the same characters to be escaped."""
    key = tuple(
        (name, value, isinstance(value, SafeData)) for name, value in sorted(values.items())
    )
    if settings.DEBUG:
        return _render(template_name, key)
    return _kept(
        template_name,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        key,
    )


def forget() -> None:
    """Empties the memo (tests that compare a fresh render with a kept one)."""
    _kept.cache_clear()
