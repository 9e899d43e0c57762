from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from core.http import client_ip

# Everything the pages load comes from this site (npm assets are served as our static files).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set (D4)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            # Django's admin uses inline styles in a few widgets.
            policy = CONTENT_SECURITY_POLICY.replace(
                "style-src 'self'", "style-src 'self' 'unsafe-inline'"
            )
        else:
            policy = CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware, but taking the client address the way the rest of the
    product does: X-Forwarded-For is trusted only behind the configured proxies."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None


class LanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose otherwise with the language picker (the cookie).

    The browser's Accept-Language is ignored on purpose: many officials' phones and computers run
    an English system, yet the product must speak Vietnamese to them by default (P2)."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNulBytesMiddleware:
    """A request with a NUL character in its path, query or form is a 400. No one types one;
    PostgreSQL cannot store or compare text holding one, so it would reach the database as a 500
    wherever a view reads a value without a form (whose fields already refuse it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nul = "\x00" in request.path or _holds_nul(request.GET)
        nul = nul or (request.method == "POST" and _holds_nul(request.POST))
        if not nul:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            # Programs get the API's error shape (api.errors.ErrorOut), not a page.
            return JsonResponse(
                {
                    "message": _("Yêu cầu chứa ký tự NUL, không xử lý được."),
                    "code": "nul",
                    "errors": {},
                },
                status=400,
                # As the API writes its JSON (api.rendering): Vietnamese in UTF-8, not escaped.
                json_dumps_params={"ensure_ascii": False},
                content_type="application/json; charset=utf-8",
            )
        raise BadRequest("NUL in the request")


API_PREFIX = "/api/"


def _holds_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
