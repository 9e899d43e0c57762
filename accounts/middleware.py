from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .models import User
from .services import password_is_expired

# What an account that must change its password may still reach.
ALLOWED_URL_NAMES = {"accounts:password_change", "accounts:logout", "set_language"}


class PasswordChangeRequiredMiddleware:
    """After an admin reset or when the password has expired (A4), nothing but the password
    change page (and signing out) is reachable until the password is changed. The change page
    itself says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        request.password_change_required = bool(  # type: ignore[attr-defined]
            user is not None and user.is_authenticated and self._must_change(request)
        )
        if request.password_change_required:  # type: ignore[attr-defined]
            allowed = {reverse(name) for name in ALLOWED_URL_NAMES}
            if request.path not in allowed and not request.path.startswith(("/static/", "/i18n/")):
                response = redirect("accounts:password_change")
                if request.headers.get("HX-Request"):
                    response["HX-Redirect"] = response["Location"]
                return response
        return self.get_response(request)

    @staticmethod
    def _must_change(request: HttpRequest) -> bool:
        user = cast(User, request.user)
        return bool(user.must_change_password or password_is_expired(user))
