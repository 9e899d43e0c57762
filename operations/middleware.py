import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers

from .access import monitoring_allowed
from .logs import current_request, mask

request_log = logging.getLogger("operations.requests")

# nginx passes its $request_id; anything else a client sends is replaced rather than written
# into the logs as it came.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
MONITORING_URL_NAMES = ("operations:healthz", "operations:readyz", "operations:metrics")


class RequestIdMiddleware:
    """Gives each request an id (X-Request-ID from the proxy, else a new one), returns it in the
    response's X-Request-ID, and keeps the request at hand for the log lines made meanwhile
    (operations.logs). With LOG_REQUESTS, one line per request when its response leaves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get("X-Request-ID", "")
        request_id = sent if REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.monotonic()
        # Kept until the response is closed (operations.apps clears it on request_finished):
        # Django logs a 4xx or 5xx after the middleware, and a streamed body is sent after it.
        current_request.set(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        if settings.LOG_REQUESTS:
            self._log(request, response, time.monotonic() - started)
        return response

    @staticmethod
    def _log(request: HttpRequest, response: HttpResponse, seconds: float) -> None:
        path = mask(request.path)
        # The monitoring asks every few seconds; its lines are only wanted when debugging.
        level = logging.DEBUG if getattr(request, "monitoring", False) else logging.INFO
        request_log.log(
            level,
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
            },
        )


class MonitoringMiddleware:
    """/healthz, /readyz and /metrics: a 404 for any address outside MONITORING_ALLOWED_IPS, as if
    they did not exist; for the allowed ones the view is called at once, before sessions, sign-in
    and the two-factor step (a probe has no account, and /healthz must not touch the database).
    Never cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.paths: set[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.paths is None:
            self.paths = {reverse(name) for name in MONITORING_URL_NAMES}
        if request.path_info not in self.paths:
            return self.get_response(request)
        request.monitoring = True  # type: ignore[attr-defined]
        if not monitoring_allowed(request):
            response: HttpResponse = HttpResponseNotFound()
        else:
            try:
                match = resolve(request.path_info)
            except Resolver404:  # pragma: no cover - the paths come from reverse()
                raise Http404 from None
            request.resolver_match = match
            response = match.func(request, *match.args, **match.kwargs)
        add_never_cache_headers(response)
        return response
