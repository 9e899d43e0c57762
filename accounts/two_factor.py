"""Two-factor sign-in (B8) with django-otp: a TOTP device (an authenticator app) and a set of
one-time backup codes per account.

Sign-in in two steps: the password (accounts.views.SignInView) leaves only a pending sign-in in
the session, not a signed-in user; the code step (`sign_in_verify`) signs the account in and marks
the session verified (django_otp.login). Wrong codes are reported as failed sign-ins
(`user_login_failed`), so django-axes counts them with wrong passwords toward the lockout and the
login log records them."""

import logging
import time
from base64 import b32encode
from typing import Any

import segno
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from core.http import client_ip, user_agent

from .login_log import login_event_record
from .models import LoginEvent, User
from .sessions import sessions_end

logger = logging.getLogger(__name__)

# The sender of `user_login_failed` for a wrong code, so the login log tells it from a wrong
# password.
CODE_FAILURE_SENDER = "accounts.two_factor"
PENDING_KEY = "two_factor_pending"
PROVIDER_VERIFIED_KEY = "two_factor_by_provider"
ENROL_KEY = "two_factor_enrol_key"
BACKUP_CODES_KEY = "two_factor_backup_codes"
# How long the code step waits after the password.
PENDING_SECONDS = 5 * 60


def required_for(user: User) -> bool:
    return user.role in settings.TWO_FACTOR_REQUIRED_ROLES


# Whether an account has an authenticator is asked on every request of a session that gave no
# code (most accounts: the roles not required to have one), so it is kept in the cache, forgotten
# when one of the account's devices is saved or deleted (accounts.signals), at once and again at
# commit; the time only bounds what a change made behind the ORM's back could leave.
ENROLLED_SECONDS = 300


def _enrolled_key(user_id: object) -> str:
    return f"accounts:two-factor-enrolled:{user_id}"


def is_enrolled(user: User) -> bool:
    key = _enrolled_key(user.pk)
    try:
        kept = cache.get(key)
    except Exception:  # the cache is down: asked of the database
        kept = None
    if kept is not None:
        return bool(kept)
    enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    try:
        cache.set(key, enrolled, ENROLLED_SECONDS)
    except Exception:
        logger.warning("two-factor enrolment of account %s not kept", user.pk, exc_info=True)
    return enrolled


def enrolment_changed(user_id: object) -> None:
    """One of the account's devices was saved or deleted: the next request asks again (and again
    after the transaction commits, in case a request read the old state meanwhile)."""

    def forget() -> None:
        try:
            cache.delete(_enrolled_key(user_id))
        except Exception:
            logger.warning("two-factor enrolment of account %s not forgotten", user_id)

    forget()
    transaction.on_commit(forget)


def is_verified(user: Any) -> bool:
    """The session was verified by a code (django_otp's OTPMiddleware fills `is_verified`)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def provider_verified(request: HttpRequest) -> None:
    """The single sign-on provider asked for its own second factor (accounts.sso): the session
    counts as verified, without ours."""
    request.session[PROVIDER_VERIFIED_KEY] = True


def session_is_verified(request: HttpRequest) -> bool:
    return is_verified(request.user) or bool(request.session.get(PROVIDER_VERIFIED_KEY))


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _audit(user: User, event: str, by: User | None = None, **extra: Any) -> None:
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"two_factor": ["***", "***"]},
        additional_data={"event": event, "by": by.username if by else user.username, **extra},
    )


def _login_event(kind: str, user: User, request: HttpRequest | None) -> None:
    login_event_record(
        kind=kind,
        user=user,
        username_tried=user.username,
        ip_address=client_ip(request) if request else None,
        user_agent=user_agent(request) if request else "",
        session_key=(request.session.session_key or "") if request else "",
    )


# ---- enrolment ------------------------------------------------------------------------------


def enrolment_key(request: HttpRequest) -> str:
    """The secret offered on the enrolment page, kept in the session until it is confirmed, so an
    abandoned enrolment leaves nothing in the database."""
    key = request.session.get(ENROL_KEY)
    if not key:
        key = request.session[ENROL_KEY] = random_hex(20)
    return str(key)


def enrolment_device(user: User, key: str) -> TOTPDevice:
    """The device being enrolled, not saved: what the QR code and the secret show."""
    return TOTPDevice(user=user, key=key, name="authenticator", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, drawn here (no script on the page)."""
    return str(
        segno.make(device.config_url, error="m").svg_inline(
            scale=4, border=2, dark="#000", light="#fff", omitsize=False
        )
    )


def _code_matches(device: TOTPDevice, code: str) -> bool:
    try:
        token = int(code)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.verify(token, device.tolerance):
        device.last_t = totp.t()
        return True
    return False


@transaction.atomic
def enrolment_confirm(
    *, user: User, key: str, code: str, keep_session_key: str | None
) -> list[str]:
    """Confirms the new authenticator with a code it shows. Replaces any earlier device and backup
    codes, ends the account's other sessions (they were not signed in with this device) and
    returns the new backup codes, to be shown once. An empty list: the code was wrong."""
    device = enrolment_device(user, key)
    if not _code_matches(device, code):
        return []
    again = is_enrolled(user)
    _devices_delete(user)
    device.confirmed = True
    device.save()
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    sessions_end(user=user, keep_session_key=keep_session_key)
    _audit(user, "two_factor_reenrolled" if again else "two_factor_enrolled")
    return codes


def enrolled_in_session(request: HttpRequest, user: User) -> None:
    """The session that enrolled is verified by that code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    request.session.pop(ENROL_KEY, None)
    if device is not None:
        otp_login(request, device)


def _devices_delete(user: User) -> int:
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return removed


@transaction.atomic
def two_factor_remove(*, user: User) -> bool:
    """The owner turns two-factor sign-in off (not allowed for the required roles: the view asks
    the rule accounts.remove_two_factor first)."""
    if not _devices_delete(user):
        return False
    _audit(user, "two_factor_removed")
    return True


@transaction.atomic
def two_factor_reset(*, user: User, by: User | None, reason: str = "") -> bool:
    """The admin removes the account's devices (a lost phone): every session of the account ends
    and, for the required roles, the next sign-in leads to enrolment again."""
    removed = _devices_delete(user)
    sessions_end(user=user)
    if removed:
        _audit(user, "two_factor_reset", by=by, **({"reason": reason} if reason else {}))
    return bool(removed)


# ---- the code step of sign-in ----------------------------------------------------------------


def pending_begin(request: HttpRequest, *, user: User, redirect_to: str) -> None:
    """After the right password: the session remembers whom it is signing in, nothing more."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "next": redirect_to,
        "at": int(time.time()),
    }


def pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def pending_next(request: HttpRequest) -> str:
    return str((request.session.get(PENDING_KEY) or {}).get("next") or settings.LOGIN_REDIRECT_URL)


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def code_check(*, user: User, code: str, request: HttpRequest) -> Device | None:
    """The device that accepts the code (the app's code or an unused backup code, which is used
    up), or None after reporting a failed sign-in to django-axes and the login log."""
    token = _normalise(code)
    matched: Device | None = None
    if token:
        with transaction.atomic():
            for device in devices_for_user(user, confirmed=True, for_verify=True):
                if device.verify_token(token):
                    matched = device
                    break
    if matched is None:
        user_login_failed.send(
            sender=CODE_FAILURE_SENDER, credentials={"username": user.username}, request=request
        )
        return None
    if isinstance(matched, StaticDevice):
        _audit(user, "backup_code_used", left=backup_codes_left(user))
    return matched


def sign_in_verify(request: HttpRequest, *, user: User, device: Device) -> None:
    """Signs the account in (if the password step left it pending) and marks the session
    verified."""
    pending = request.session.get(PENDING_KEY) or {}
    if not request.user.is_authenticated:
        auth_login(request, user, backend=pending.get("backend"))
    pending_clear(request)
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        _login_event(LoginEvent.Kind.BACKUP_CODE, user, request)


def session_device_id(request: HttpRequest) -> str | None:
    return request.session.get(DEVICE_ID_SESSION_KEY)
