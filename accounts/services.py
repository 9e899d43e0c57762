"""Every change of state on accounts. Views and the admin call these; they never write directly."""

import re
import unicodedata
from datetime import timedelta
from typing import Any

from auditlog.models import LogEntry
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginEvent, PasswordHistory, User
from .notices import PASSWORD_CHANGED, PASSWORD_RESET, account_notice
from .sessions import sessions_end
from .two_factor import two_factor_reset


def _remember_password(user: User) -> None:
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    keep = list(
        user.password_history.values_list("pk", flat=True)[: settings.PASSWORD_HISTORY_SIZE]
    )
    user.password_history.exclude(pk__in=keep).delete()


@transaction.atomic
def password_change(*, user: User, new_password: str, keep_session_key: str | None = None) -> None:
    """The account owner chooses a new password. The temporary and recent ones are refused by the
    validators (settings.AUTH_PASSWORD_VALIDATORS). The account's other sessions end (the one
    named stays signed in) and the owner gets an e-mail, in case it was not them."""
    validate_password(new_password, user)
    if not user.must_change_password:
        # A temporary password is not worth remembering: it is refused anyway.
        _remember_password(user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    sessions_end(user=user, keep_session_key=keep_session_key)
    account_notice.send(sender=User, user=user, kind=PASSWORD_CHANGED, by=user)


@transaction.atomic
def password_reset_to_temporary(*, user: User, by: User) -> None:
    """Admin reset (A4): the deployment's temporary password, to be changed at the next sign-in
    and valid for TEMPORARY_PASSWORD_HOURS. Whoever has the account's sessions or second factor
    may be the reason for the reset: every session ends and the devices go (B8)."""
    _remember_password(user)
    user.set_password(settings.TEMPORARY_PASSWORD)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    axes_reset(username=user.username)
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"password": ["***", "*** (mật khẩu tạm thời)"]},
        additional_data={"event": "password_reset", "by": by.username},
    )
    two_factor_reset(user=user, by=by, reason="password_reset")
    account_notice.send(sender=User, user=user, kind=PASSWORD_RESET, by=by)


@transaction.atomic
def account_deactivate(*, user: User, by: User) -> None:
    """The account stops working at once: its sessions end with it."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    account_deactivated(user=user)


def account_deactivated(*, user: User) -> None:
    """For the admin's change form, which saves is_active itself."""
    sessions_end(user=user)


def account_unlock(*, user: User, by: User) -> int:
    """Lift a lockout before its cool-off time ends. Returns how many lock records were cleared."""
    cleared = axes_reset(username=user.username)
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"locked": ["True", "False"]},
        additional_data={"event": "unlock", "by": by.username, "cleared": cleared},
    )
    return cleared


def temporary_password_expired(user: User) -> bool:
    """A password the admin set (a reset, or at the account's creation) is only good for
    TEMPORARY_PASSWORD_HOURS."""
    hours = settings.TEMPORARY_PASSWORD_HOURS
    return bool(
        user.must_change_password
        and hours > 0
        and user.password_changed_at < timezone.now() - timedelta(hours=hours)
    )


def password_is_expired(user: User) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return False
    return user.password_changed_at < timezone.now() - timedelta(days=days)


@transaction.atomic  # with the sign-in counts the statistics keep (reports.figures)
def login_event_count_download(*, session_key: str) -> None:
    """Called by the documents capability on every download, so the login log shows what each
    session downloaded (A3)."""
    if not session_key:
        return
    event = (
        LoginEvent.objects.filter(session_key=session_key, kind=LoginEvent.Kind.SUCCESS)
        .order_by("-at")
        .values_list("pk", flat=True)
        .first()
    )
    if event:
        LoginEvent.objects.filter(pk=event).update(
            documents_downloaded=F("documents_downloaded") + 1
        )


def _free_username(wanted: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", unicodedata.normalize("NFKC", wanted))[:140] or "sso"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}.{n}"
    return candidate


@transaction.atomic
def account_create_from_claims(*, claims: dict[str, Any], field: str, value: str) -> User:
    """A personal member's account for someone the provider vouched for, made at their first
    single sign-on (only when OIDC_CREATE_ACCOUNTS is on). No password: they sign in through the
    provider; the admin gives the unit and the role. Django's audit log records the creation."""
    email = str(claims.get("email") or "")[:254]
    wanted = str(claims.get("preferred_username") or email.split("@")[0] or value)
    user = User(
        username=value if field == "username" else _free_username(wanted),
        full_name=str(claims.get("name") or wanted)[:150],
        email=email,
        kind=User.Kind.PERSONAL,
        role=User.Role.MEMBER,
    )
    if field == "personal_id":
        user.personal_id = value
    elif field == "email":
        user.email = value
    user.set_unusable_password()
    user.full_clean(exclude=["password", "email"])
    user.save()
    return user
