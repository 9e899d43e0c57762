"""Login log (A3): every sign-in, failure, lockout and sign-out, with address and browser; and the
list of signed-in sessions (B8)."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import polling
from core.http import client_ip, user_agent

from .login_log import login_event_record
from .models import LoginEvent, User
from .sessions import session_forget, session_record
from .sso import BACKEND as SSO_BACKEND
from .two_factor import CODE_FAILURE_SENDER, enrolment_changed


def _method(request: HttpRequest) -> str:
    signed_in_by = request.session.get(BACKEND_SESSION_KEY)
    return LoginEvent.Method.SSO if signed_in_by == SSO_BACKEND else LoginEvent.Method.PASSWORD


def _request_facts(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {"ip_address": None, "user_agent": ""}
    return {"ip_address": client_ip(request), "user_agent": user_agent(request)}


@receiver(user_logged_in)
def on_logged_in(sender: object, request: HttpRequest, user: User, **kwargs: Any) -> None:
    login_event_record(
        kind=LoginEvent.Kind.SUCCESS,
        method=_method(request),
        user=user,
        username_tried=user.username,
        session_key=request.session.session_key or "",
        **_request_facts(request),
    )
    session_record(request=request, user=user)


@receiver(user_logged_out)
def on_logged_out(sender: object, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    session_forget(session_key=request.session.session_key)
    if user is None:
        return
    login_event_record(
        kind=LoginEvent.Kind.LOGOUT,
        method=_method(request),
        user=user,
        username_tried=user.username,
        session_key=request.session.session_key or "",
        **_request_facts(request),
    )


def _account_named(username: str) -> User | None:
    return get_user_model().objects.filter(username=username).first() if username else None


@receiver(user_login_failed)
def on_login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    refusal = getattr(request, "sso_refusal", None)
    if refusal is not None or "nonce" in credentials:
        # A single sign-on the product refused: the name is what the provider vouched for.
        login_event_record(
            kind=LoginEvent.Kind.FAILURE,
            method=LoginEvent.Method.SSO,
            user=getattr(refusal, "user", None),
            username_tried=str(getattr(refusal, "tried", "")),
            **_request_facts(request),
        )
        return
    username = str(credentials.get("username", ""))
    login_event_record(
        kind=(
            LoginEvent.Kind.CODE_FAILURE
            if sender == CODE_FAILURE_SENDER
            else LoginEvent.Kind.FAILURE
        ),
        user=_account_named(username),
        username_tried=username,
        **_request_facts(request),
    )


@receiver(user_locked_out)
def on_locked_out(
    sender: object,
    request: HttpRequest | None,
    username: str | None,
    ip_address: str | None,
    **kwargs: Any,
) -> None:
    login_event_record(
        kind=LoginEvent.Kind.LOCKED,
        user=_account_named(username or ""),
        username_tried=username or "",
        **_request_facts(request),
    )


@receiver(post_save, sender=User, dispatch_uid="polls-account")
def on_account_saved(sender: object, instance: User, raw: bool = False, **kwargs: Any) -> None:
    """Every poll of the account checks its access again (a new role or unit, a deactivation)."""
    if not raw:
        polling.bump(polling.account_version(instance.pk))


@receiver(post_save, sender=TOTPDevice, dispatch_uid="two-factor-enrolled-saved")
@receiver(post_delete, sender=TOTPDevice, dispatch_uid="two-factor-enrolled-deleted")
def on_authenticator_changed(sender: object, instance: TOTPDevice, **kwargs: Any) -> None:
    """Whether the account has an authenticator is asked again (accounts.two_factor)."""
    enrolment_changed(instance.user_id)
