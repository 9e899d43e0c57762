"""Whole anonymous pages from Django's cache (home, public schedule, public meeting page, public
feed): the pages the whole internet may open. An entry is keyed by the page's address, the
reader's language, the local day and a generation that every change of public data replaces, so a
published, changed, postponed or cancelled meeting shows at the next request. Entries also expire
after PUBLIC_CACHE_SECONDS, so "in progress" and "ended" follow the clock.

The cached HTML holds a placeholder where the CSRF token goes (the language form); each response
gets the visitor's own token, as Django would have rendered it. Django's cache middleware cannot be
used here: pages with a CSRF token vary on Cookie and are then cached per visitor, or not at all."""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

GENERATION = "public-pages:generation"
CSRF_PLACEHOLDER = "__public_page_csrf_token__"
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Cache-Control")


def bump() -> None:
    """Public data changed: every cached public page is out of date. Called at once (the same
    process reads its own write) and again after commit (a request racing the transaction may
    have cached the old data in between). A timestamp, not a counter: a cache that restarts
    never hands out an old generation again."""
    cache.set(GENERATION, time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(GENERATION, time.time_ns(), None))


def _generation() -> int:
    value = cache.get(GENERATION)
    if value is None:
        value = time.time_ns()
        cache.add(GENERATION, value, None)
        value = cache.get(GENERATION, value)
    return int(value)


def _cacheable(request: HttpRequest) -> bool:
    # A pending message (after signing out, say) is shown once, to its reader only.
    return (
        settings.PUBLIC_CACHE_SECONDS > 0
        and request.method in {"GET", "HEAD"}
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    day = timezone.localdate().isoformat()
    return f"public-page:{_generation()}:{get_language()}:{day}:{address}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the anonymous view from the cache; signed-in readers always get a fresh page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        entry = cache.get(key)
        if entry is None:
            request.public_page = True  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return _with_token(response, request)
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            entry = (response.content, headers)
            cache.set(key, entry, settings.PUBLIC_CACHE_SECONDS)
        content, headers = entry
        response = HttpResponse(content, headers=headers)
        return _with_token(response, request)

    return wrapped


def _with_token(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if not getattr(response, "streaming", False) and CSRF_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(
            CSRF_PLACEHOLDER.encode(), get_token(request).encode()
        )
    return response


def context(request: HttpRequest) -> dict[str, Any]:
    """A context processor, listed after Django's own CSRF one: a page rendered for the cache gets
    a placeholder instead of this visitor's token."""
    if getattr(request, "public_page", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
