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

from collections.abc import Hashable, Iterable, Mapping
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
    return fragments(template_name, [values])[0]


def fragments(template_name: str, rows: Iterable[Mapping[str, Hashable]]) -> list[SafeString]:
    """`fragment` of each row's values, the language, time zone and URL prefix asked once for
    them all (each is a lookup in the request's context: three for each of a dashboard's hundred
    rows were 2 % of its time in Python)."""
    keys = [
        tuple((name, value, isinstance(value, SafeData)) for name, value in sorted(row.items()))
        for row in rows
    ]
    if settings.DEBUG:
        return [_render(template_name, key) for key in keys]
    language = translation.get_language()
    zone = timezone.get_current_timezone_name()
    prefix = get_script_prefix()
    return [_kept(template_name, language, zone, prefix, key) for key in keys]


def forget() -> None:
    """Empties the memo (tests that compare a fresh render with a kept one)."""
    _kept.cache_clear()
