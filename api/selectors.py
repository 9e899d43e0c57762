"""Reads of access tokens (B4)."""

import hmac

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User

from .models import AccessToken
from .services import TOKEN_PREFIX, hash_secret


def tokens_of(user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(owner=user).order_by("-created_at", "-id")


def token_for(plain: str) -> AccessToken | None:
    """The usable token with this text, or None: unknown, malformed, expired, revoked, or its
    account deactivated. Looked up by its public prefix, then compared in constant time."""
    prefix = plain[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8]
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200 or len(prefix) != 8:
        return None
    token = AccessToken.objects.select_related("owner").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(plain)):
        return None
    if not token.is_usable_at(timezone.now()) or not token.owner.is_active:
        return None
    return token
