"""The monitoring URLs. Reached only through operations.middleware.MonitoringMiddleware, which
lets in the allowed addresses alone and skips sessions, sign-in and the two-factor step."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from . import metrics as product_metrics
from .readiness import readiness_checks, run_check


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers. Nothing else is asked (no database): a load balancer restarting app
    servers on this must not restart them all when the database is down."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Every part this app server needs to serve people: 200 when all answer, 503 naming those
    that do not."""
    results = {name: run_check(check) for name, check in readiness_checks().items()}
    body = {
        "status": "fail" if any(results.values()) else "ok",
        "checks": {
            name: {"status": "fail", "error": error} if error else {"status": "ok"}
            for name, error in results.items()
        },
    }
    return JsonResponse(body, status=503 if body["status"] == "fail" else 200)


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    content, content_type = product_metrics.exposition()
    return HttpResponse(content, content_type=content_type)
