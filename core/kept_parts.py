"""A page's own part kept in Django's cache for the same reader while nothing is written: the
dashboard's lists (portal.views) and the meeting page's body (portal.meeting_views).

The part is kept under its reader (the account), the language, the time zone, the minute of the
local clock (what a page says of "now": the phase of a meeting, the days, what is overdue) and the
data's generation (core.changes), which every write to a table that pages show makes new. So a
kept part is never older than the last write, nor than the minute; a request whose own writes are
not committed yet keeps nothing and reads nothing kept.

A part may hold forms: each form's CSRF token is taken out before the part is kept (a marker in
its place, holding a NUL character, which no text the product stores or accepts has) and this
request's own token is put in when the part is sent."""

import re
from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import changes

# The minute is part of the key, so a minute and a half covers every request of one.
KEPT_SECONDS = 90

TOKEN_MARK = "\x00csrf-token\x00"
# What Django's {% csrf_token %} writes.
_TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"\x00]+)"')


def part_key(name: str, reader: object, now: datetime, *extra: object) -> str | None:
    """The key of a part named `name` for this reader (and `extra`: the meeting, the address) in
    this language, time zone, local minute and generation of the data; None while this
    request's own writes are not committed."""
    generation = changes.generation()
    if generation is None:
        return None
    minute = timezone.localtime(now).strftime("%Y%m%d%H%M")
    zone = timezone.get_current_timezone_name()
    parts = [name, reader, get_language(), zone, minute, generation, *extra]
    return ":".join(str(part) for part in parts)


def without_tokens(html: str) -> str:
    """The part with each CSRF token its forms hold (and wherever else that token is written)
    replaced by the marker."""
    for token in set(_TOKEN_INPUT.findall(html)):
        html = html.replace(token, TOKEN_MARK)
    return html


def with_token(html: str, request: object) -> str:
    """The kept part with this request's CSRF token in place of the marker."""
    if TOKEN_MARK not in html:
        return html
    return html.replace(TOKEN_MARK, get_token(request))  # type: ignore[arg-type]


def kept_part(request: object, key: str | None, make: Callable[[], str]) -> SafeString:
    """The part kept under `key`, else `make()` (a template's output, escaped as it was
    rendered), kept when there is a key; with this request's CSRF token."""
    kept = cache.get(key) if key else None
    if not isinstance(kept, str):
        kept = without_tokens(make())
        if key:
            cache.set(key, kept, KEPT_SECONDS)
    return mark_safe(with_token(kept, request))  # noqa: S308 (a template's output)
