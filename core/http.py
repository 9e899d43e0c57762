from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

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
    *, load: Callable[..., T], etag_of: Callable[[R, T], str]
) -> Callable[[Callable[[R, T], HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A fragment htmx polls every few seconds: `load(request, **url_kwargs)` fetches (and checks
    access to) what it shows, `etag_of(request, loaded)` names its version; an unchanged version
    is an empty 304, else the view renders `loaded`. Every answer is private and revalidated, so
    that no cache between serves another reader's fragment or an old one. The tag comes from the
    database, so several app processes answer alike."""

    def decorator(view: Callable[[R, T], HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def polled_view(request: R, *args: Any, **kwargs: Any) -> HttpResponseBase:
            loaded = load(request, *args, **kwargs)
            etag = quote_etag(etag_of(request, loaded))
            response: HttpResponseBase | None = get_conditional_response(request, etag=etag)
            if response is None:
                response = view(request, loaded)
            if request.method in ("GET", "HEAD"):
                response.headers.setdefault("ETag", etag)
            patch_cache_control(response, private=True, no_cache=True)
            return response

        return polled_view

    return decorator
