"""Every change of state on access tokens, and the audit entries of the API's use (B4)."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import AccessToken

TOKEN_PREFIX = "hkg_"
MAX_DAYS = 365
DEFAULT_DAYS = 90
# last_used_at is written at most once a minute per token: a busy integration would otherwise
# turn every read into a write.
TOUCH_EVERY = timedelta(seconds=60)


def hash_secret(plain: str) -> str:
    """SHA-256, not a password hash: the token is 256 random bits from the system's CSPRNG, so
    there is no dictionary to slow down, and a fast hash keeps every API call cheap. A slow hash
    (Argon2) only protects low-entropy secrets that people choose."""
    return hashlib.sha256(plain.encode()).hexdigest()


def _audit(obj: Model, *, actor: User, action: int, event: str, **data: Any) -> None:
    LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=action,
        actor=actor,
        additional_data={"event": event, **data},
    )


@transaction.atomic
def token_create(*, owner: User, name: str, scope: str, days: int) -> tuple[AccessToken, str]:
    """A new token and its plain text, which is shown once and never stored."""
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            _("Thời hạn từ 1 đến %(max)s ngày."), params={"max": MAX_DAYS}, code="days"
        )
    prefix = secrets.token_hex(4)
    while AccessToken.objects.filter(prefix=prefix).exists():  # 1 in 4 billion
        prefix = secrets.token_hex(4)
    plain = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = AccessToken(
        owner=owner,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hash_secret(plain),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    _audit(
        token,
        actor=owner,
        action=LogEntry.Action.CREATE,
        event="api_token_created",
        token=prefix,
        scope=scope,
        expires_at=token.expires_at.isoformat(),
    )
    return token, plain


@transaction.atomic
def token_revoke(*, token: AccessToken, by: User) -> AccessToken:
    """Stops the token at once; revoking twice is harmless and keeps the first moment."""
    updated = AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    if updated:
        _audit(
            token,
            actor=by,
            action=LogEntry.Action.UPDATE,
            event="api_token_revoked",
            token=token.prefix,
        )
    return token


def tokens_revoke_all(*, owner: User, by: User | None) -> int:
    """Every live token of the account stops, e.g. when the IT centre resets its password: a
    password reset answers a lost or leaked credential, and a token is one."""
    count = 0
    for token in AccessToken.objects.filter(owner=owner, revoked_at__isnull=True):
        token_revoke(token=token, by=by or owner)
        count += 1
    return count


def token_touch(*, token: AccessToken) -> None:
    """Records the use, at most once per TOUCH_EVERY, with one conditional UPDATE."""
    now = timezone.now()
    if token.last_used_at is not None and token.last_used_at > now - TOUCH_EVERY:
        return
    AccessToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY), pk=token.pk
    ).update(last_used_at=now)
    token.last_used_at = now


def api_audit(obj: Model, *, token: AccessToken, event: str, action: int, **data: Any) -> None:
    """One audit entry for a write or a download made with a token, naming the token."""
    _audit(obj, actor=token.owner, action=action, event=event, token=token.prefix, **data)
