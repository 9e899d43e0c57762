"""`Authorization: Bearer <token>`: the request acts as the token's account, within its scope."""

import contextlib
from typing import Any

from auditlog.context import auditlog_value
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from core.limits import address_of, message, retry_after

from . import selectors, services
from .errors import ApiError
from .models import AccessToken


def _limit(request: HttpRequest, limit: str, key: str) -> None:
    """Past the limit (core.limits): 429 in the API's error shape, with Retry-After."""
    seconds = retry_after(request, limit, key)
    if seconds is not None:
        raise ApiError(429, message(seconds), "rate_limited", headers={"Retry-After": str(seconds)})


def _audit_as(request: HttpRequest, token: AccessToken) -> None:
    """Changes the services make are logged with the token's account as their actor. The audit
    middleware captured the (anonymous) session user before the view ran; its context is a dict
    kept for the request, so naming the actor there reaches every entry written from now on."""
    # Without the audit middleware (a test calling the view directly) there is no context.
    with contextlib.suppress(LookupError):
        auditlog_value.get()["actor"] = token.owner


class TokenAuth(HttpBearer):
    """A usable token (not expired, not revoked, its account active), else 401. `write`: the
    token's scope must allow writing, else 403, decided before the input is read."""

    def __init__(self, *, write: bool = False) -> None:
        super().__init__()
        self.write = write

    def __call__(self, request: HttpRequest) -> Any:
        # Per address before the token is read: made-up tokens, or none, count as much as real
        # ones, and a script trying tokens is slowed before it reaches the database.
        _limit(request, "api_address", address_of(request))
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        access = selectors.token_for(token.strip())
        if access is None:
            return None
        # Per token: a stolen token used from many addresses is slowed all the same.
        _limit(request, "api_token", str(access.pk))
        services.token_touch(token=access)
        request.user = access.owner
        _audit_as(request, access)
        if self.write and not access.allows_write:
            raise ApiError(
                403,
                _("Mã truy cập này chỉ được đọc; hãy tạo mã có phạm vi “Đọc và ghi”."),
                "scope",
            )
        return access


read_auth = TokenAuth()
write_auth = TokenAuth(write=True)
