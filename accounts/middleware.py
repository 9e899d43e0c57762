from collections.abc import Callable
from typing import Any, cast

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.models import Device

from core.http import not_modified
from core.polling import remembered_tag

from .kept import ANYONE, kept_rows
from .models import User
from .services import password_is_expired
from .sessions import session_touch, touched_recently
from .two_factor import is_enrolled, required_for, session_is_verified


class ResolvedUserMiddleware:
    """`request.user` as the account itself from here on. Django's sign-in middleware leaves a
    lazy stand-in, and django-otp's wraps that in another, so that every attribute the rules,
    the menu and the templates read (a page reads a couple of hundred) went through two proxies:
    about a sixth of a signed-in page with nothing in it. Every request past this point reads the
    account anyway (the password and second-factor checks below)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        while isinstance(user, LazyObject):
            lazy: Any = user  # its `_wrapped` and `_setup`, which the type stubs leave out
            if lazy._wrapped is empty:
                lazy._setup()
            user = lazy._wrapped
        if user is not None:
            request.user = user
        return self.get_response(request)


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
        required = bool(user is not None and user.is_authenticated and self._must_change(request))
        request.password_change_required = required  # type: ignore[attr-defined]
        if required:
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


# What an account may reach before its second factor: the code step, or enrolment if it has none.
CODE_STEP_URL_NAMES = {"accounts:two_factor_verify", "accounts:logout", "set_language"}
ENROL_URL_NAMES = {
    "accounts:two_factor_setup",
    "accounts:two_factor_backup_codes",
    "accounts:logout",
    "set_language",
}


class TwoFactorRequiredMiddleware:
    """Two-factor sign-in (B8). A signed-in session of an account with an authenticator that has
    not given its code yet reaches only the code step; an account of the required roles
    (TWO_FACTOR_REQUIRED_ROLES) without one reaches only enrolment. Django's admin included. A
    single sign-on whose provider asked for its own second factor counts as verified
    (accounts.sso). A forced password change (the middleware before this one) comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not getattr(request, "password_change_required", False)
            and not session_is_verified(request)
        ):
            account = cast(User, user)
            if is_enrolled(account):
                target, allowed = "accounts:two_factor_verify", CODE_STEP_URL_NAMES
            elif required_for(account):
                target, allowed = "accounts:two_factor_setup", ENROL_URL_NAMES
            else:
                return self.get_response(request)
            # The menu offers nothing of what is blocked (templates/base.html).
            request.two_factor_pending = True  # type: ignore[attr-defined]
            paths = {reverse(name) for name in allowed}
            if request.path not in paths and not request.path.startswith(("/static/", "/i18n/")):
                response = redirect(target)
                if request.headers.get("HX-Request"):
                    response["HX-Redirect"] = response["Location"]
                return response
        return self.get_response(request)


class SessionActivityMiddleware:
    """Keeps each signed-in session's "last seen" (at most once a minute) for the session list."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session_touch(request=request, user=cast(User, user))
        return self.get_response(request)


class PollFromCacheMiddleware:
    """A polled fragment (core.polling) asked again by a session whose access to it was checked
    within the minute: when its versions in the cache are those the browser holds, the empty 304
    at once, from the cache alone (the session from the cache too, SESSION_ENGINE), without
    reading the account or anything else. Just after the session and the language.

    A session whose "last seen" is due goes the whole way, so that the list of signed-in sessions
    stays true for a screen that only polls."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in ("GET", "HEAD")
            and "HTTP_IF_NONE_MATCH" in request.META
            and touched_recently(request)
        ):
            etag = remembered_tag(request)
            answer = not_modified(request, etag) if etag is not None else None
            if answer is not None:
                return cast(HttpResponse, answer)
        return self.get_response(request)


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's, reading the device of the session's second factor through a query kept
    once per process and kind of device (accounts.kept): every request of an account that signs
    in with a second factor (the office's clerks, the admins) asks for it. What django-otp
    would not read (a malformed id, another model) is no device, as there."""

    def _device_from_persistent_id(self, persistent_id: str) -> Any:
        persistent_id = self._normalize_persistent_id(persistent_id)
        try:
            label, number = persistent_id.rsplit("/", 1)
            kind = apps.get_model(label)
            pk = int(number)
        except (ValueError, LookupError):
            return None
        if not issubclass(kind, Device):
            return None
        rows = kept_rows(
            f"otp.device.{kind._meta.label_lower}",
            lambda anyone, now, pk: kind._default_manager.filter(id=pk),
            ANYONE,
            timezone.now(),
            ids={"pk": pk},
        )
        return rows[0] if rows else None
