"""How often one caller may ask: the API per token and per address, the sign-in form and the
public schedule's feeds and search per address. Past its limit a caller gets 429 with
Retry-After, and the refusal is counted for /metrics by the limit's name.

The counting is django-ratelimit's (`get_usage`): a fixed window per key, kept in the default
cache, so with Redis (CACHE_URL) every app server adds to the same count, atomically.
Its own decorator is not used because it answers 403 by default, or raises, and says nothing of
when to come back; `get_usage` gives the seconds left in the window, which become Retry-After.
The rates come from settings.RATE_LIMITS, one entry per limit (docs/configuration.md)."""

import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from prometheus_client import Counter
from redis.exceptions import RedisError

from core.http import client_ip

logger = logging.getLogger(__name__)

REFUSALS = Counter(
    "hopkhonggiay_rate_limit_refusals",
    "Requests refused with 429 because their caller went past a limit, by limit name.",
    ["limit"],
)


def address_of(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def retry_after(request: HttpRequest, limit: str, key: str) -> int | None:
    """Counts this request against `limit` for `key` (an address, a token's id). Over the limit:
    the seconds until a new window starts (at least 1), and the refusal counted; else None."""
    rate = settings.RATE_LIMITS.get(limit, "")
    if not rate:
        return None
    try:
        usage = get_usage(
            request,
            group=f"limits:{limit}",
            key=lambda _group, _request: key,
            rate=rate,
            increment=True,
        )
    except (OSError, RedisError) as error:
        # django-ratelimit lets requests through when the cache answers nothing
        # (RATELIMIT_FAIL_OPEN), but Django's Redis and file caches raise instead: the limits
        # guard against abuse and must not take the site down with the cache.
        logger.warning("Limit %s not counted, the cache failed: %s", limit, error)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    REFUSALS.labels(limit=limit).inc()
    # django-ratelimit's window ends at the second it names, which still counts: a new one
    # starts the second after.
    return int(usage["time_left"]) + 1


def message(seconds: int) -> str:
    return _(
        "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau %(seconds)s giây."
    ) % {"seconds": seconds}


def refused_page(request: HttpRequest, seconds: int) -> HttpResponse:
    """The 429 of a page: a short Vietnamese page, never cached, with Retry-After."""
    body = render_to_string("429.html", {"message": message(seconds)}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def limited(
    limit: str, *, methods: Iterable[str] = ("GET", "HEAD", "POST")
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A page view limited per client address; only the requests of `methods` count (the
    sign-in page counts its POSTs: showing the form costs nothing)."""
    counted = {m.upper() for m in methods}

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def limited_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in counted:
                seconds = retry_after(request, limit, address_of(request))
                if seconds is not None:
                    return refused_page(request, seconds)
            return view(request, *args, **kwargs)

        return limited_view

    return decorator
