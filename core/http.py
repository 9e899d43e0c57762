from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from core.polling import Watch, etag_for, remember

T = TypeVar("T")
R = TypeVar("R", bound=HttpRequest)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. X-Forwarded-For is believed only for the configured number of
    trusted proxies (TRUSTED_PROXY_COUNT), taking the address the outermost trusted proxy saw;
    anything further left could be forged by the client."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:500]


def polled(
    *,
    load: Callable[..., T],
    etag_of: Callable[[R, T], str] | None = None,
    watch: Callable[[R, T], Watch] | None = None,
) -> Callable[[Callable[[R, T], HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A fragment htmx polls every few seconds: `load(request, **url_kwargs)` fetches (and checks
    access to) what it shows; its version is either `watch(request, loaded)`, the versions kept
    in the cache that its content depends on (core.polling: the next polls of the same reader are
    then answered from the cache alone, before any of this runs), or `etag_of(request, loaded)`,
    a tag read from the database. An unchanged version is an empty 304, else the view renders
    `loaded`. Every answer is private and revalidated, so that no cache between serves another
    reader's fragment or an old one; either way, several app processes answer alike."""
    if (etag_of is None) == (watch is None):
        raise TypeError("polled() takes etag_of or watch, one of them.")

    def decorator(view: Callable[[R, T], HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def polled_view(request: R, *args: Any, **kwargs: Any) -> HttpResponseBase:
            loaded = load(request, *args, **kwargs)
            watched = watch(request, loaded) if watch is not None else None
            if watched is not None:
                # Read before the view reads what it shows: a change committed in between is
                # shown with the older versions, and sent again at the next poll.
                etag = quote_etag(etag_for(watched))
            elif etag_of is not None:
                etag = quote_etag(etag_of(request, loaded))
            response: HttpResponseBase | None = get_conditional_response(request, etag=etag)
            if response is None:
                response = view(request, loaded)
            if request.method in ("GET", "HEAD"):
                response.headers.setdefault("ETag", etag)
                if watched is not None and response.status_code in (200, 304):
                    remember(request, watched)
            patch_cache_control(response, private=True, no_cache=True)
            return response

        return polled_view

    return decorator


def not_modified(request: HttpRequest, etag: str) -> HttpResponseBase | None:
    """The empty 304 of a polled fragment for this tag, when the request already holds it."""
    quoted = quote_etag(etag)
    response: HttpResponseBase | None = get_conditional_response(request, etag=quoted)
    if response is None or response.status_code != 304:
        return None
    response.headers.setdefault("ETag", quoted)
    patch_cache_control(response, private=True, no_cache=True)
    return response
