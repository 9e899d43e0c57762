"""Single sign-on with OpenID Connect: the province's sign-on, or the national identity (VNeID).

mozilla-django-oidc does the protocol (state, nonce, PKCE, the code exchanged for tokens, the ID
token's signature checked against the provider's keys); this module adds what the product asks
of it: the provider read from the environment or its discovery document, accounts matched by one
configured claim and never made on the fly unless configured, deactivated accounts kept out, the
provider's second factor taken in place of ours when its "amr" or "acr" says so, and the sign-out
at the provider. Nothing outside `accounts` learns how someone signed in."""

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .backends import PasswordBackend
from .models import User
from .services import account_create_from_claims

logger = logging.getLogger(__name__)

BACKEND = "accounts.sso.SingleSignOnBackend"
ID_TOKEN_KEY = "oidc_id_token"  # where mozilla-django-oidc keeps it (OIDC_STORE_ID_TOKEN)
DISCOVERY_SECONDS = 60 * 60


class ProviderUnavailable(Exception):
    """The discovery document could not be read: the provider is down or misnamed."""


@dataclass(frozen=True)
class Provider:
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str


def enabled() -> bool:
    return bool(
        settings.OIDC_RP_CLIENT_ID
        and (settings.OIDC_OP_ISSUER or settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
    )


def label() -> str:
    return str(settings.OIDC_LABEL)


def _discovered(issuer: str) -> dict[str, Any]:
    key = f"oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
            )
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(str(exc)) from exc
        if not isinstance(document, dict):
            raise ProviderUnavailable("the discovery document is not an object")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def provider() -> Provider:
    """The endpoints: each one set in the environment wins over the discovery document's."""
    found = _discovered(settings.OIDC_OP_ISSUER) if settings.OIDC_OP_ISSUER else {}
    return Provider(
        authorization_endpoint=settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        or str(found.get("authorization_endpoint", "")),
        token_endpoint=settings.OIDC_OP_TOKEN_ENDPOINT or str(found.get("token_endpoint", "")),
        userinfo_endpoint=settings.OIDC_OP_USER_ENDPOINT or str(found.get("userinfo_endpoint", "")),
        jwks_uri=settings.OIDC_OP_JWKS_ENDPOINT or str(found.get("jwks_uri", "")),
        end_session_endpoint=settings.OIDC_OP_LOGOUT_ENDPOINT
        or str(found.get("end_session_endpoint", "")),
    )


def second_factor_given(claims: dict[str, Any]) -> bool:
    """The provider says the person gave a second factor there (OIDC_MFA_AMR, OIDC_MFA_ACR)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = amr.split()
    methods = {str(method) for method in amr} if isinstance(amr, list) else set()
    return bool(methods & set(settings.OIDC_MFA_AMR)) or (
        str(claims.get("acr", "")) in set(settings.OIDC_MFA_ACR)
    )


def is_sso_session(request: HttpRequest) -> bool:
    return bool(request.session.get(BACKEND_SESSION_KEY) == BACKEND)


def end_session_url(request: HttpRequest) -> str | None:
    """Where the browser goes to be signed out at the provider too (RP-initiated logout), or None
    for a session that did not sign in there. Read before the session ends."""
    id_token = request.session.get(ID_TOKEN_KEY)
    if not id_token or not enabled() or not is_sso_session(request):
        return None
    try:
        endpoint = provider().end_session_endpoint
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(
                resolve_url(settings.LOGOUT_REDIRECT_URL)
            ),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


# ---- refusals ---------------------------------------------------------------------------------
class Refused(Exception):
    """The provider vouched for someone this product does not let in."""

    def __init__(self, reason: str, *, tried: str = "", user: User | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.tried = tried
        self.user = user


UNKNOWN = "unknown"
INACTIVE = "inactive"
AMBIGUOUS = "ambiguous"
NO_CLAIM = "no_claim"
PROVIDER_ERROR = "provider_error"
EXPIRED = "expired"


def refusal_message(reason: str) -> str:
    name = label()
    messages = {
        UNKNOWN: _(
            "Tài khoản %(label)s của bạn chưa được gắn với tài khoản nào trong hệ thống. "
            "Hãy liên hệ quản trị hệ thống (Trung tâm CNTT)."
        ),
        INACTIVE: _("Tài khoản này đã ngừng hoạt động. Vui lòng liên hệ quản trị hệ thống."),
        AMBIGUOUS: _(
            "Thông tin từ %(label)s khớp với nhiều tài khoản. Hãy liên hệ quản trị hệ thống "
            "(Trung tâm CNTT)."
        ),
        NO_CLAIM: _(
            "%(label)s không cho biết thông tin cần để nhận ra tài khoản của bạn. Hãy liên hệ "
            "quản trị hệ thống (Trung tâm CNTT)."
        ),
        EXPIRED: _("Phiên đăng nhập bằng %(label)s đã hết hạn hoặc không hợp lệ. Hãy thử lại."),
    }
    default = _("Đăng nhập bằng %(label)s không thành công. Hãy thử lại sau.")
    return messages.get(reason, default) % {"label": name}


# ---- the authentication backend ----------------------------------------------------------------
class SingleSignOnBackend(OIDCAuthenticationBackend, PasswordBackend):
    """Answers only the provider's callback (the password sign-in passes by it). Permissions come
    from the rules, as for the password backend (PasswordBackend's answers, by inheritance)."""

    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django makes the backends anew for every sign-in, the password's too: nothing here may
        # ask the provider or insist on its settings (mozilla-django-oidc's __init__ does both).
        self.UserModel = User

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 (the library's attribute names)
        return provider().token_endpoint

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return provider().userinfo_endpoint

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return provider().jwks_uri

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_CLIENT_ID)

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_CLIENT_SECRET)

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_SIGN_ALGO)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:  # type: ignore[override]
        if request is None or "nonce" not in kwargs or not enabled():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except Refused as refusal:
            self._refuse(request, refusal)
        except (
            ProviderUnavailable,
            requests.RequestException,
            SuspiciousOperation,
            ValidationError,
            jwt.PyJWTError,
            ValueError,
            KeyError,
            TypeError,
        ) as exc:
            # What went wrong is for the IT centre's logs, not for the person signing in.
            logger.warning("single sign-on failed: %s: %s", type(exc).__name__, exc)
            self._refuse(request, Refused(PROVIDER_ERROR, tried=type(exc).__name__))
        return None

    @staticmethod
    def _refuse(request: HttpRequest, refusal: Refused) -> None:
        # Read by the login log's receiver (accounts.signals) and the callback's message.
        request.sso_refusal = refusal  # type: ignore[attr-defined]
        request.session.pop(ID_TOKEN_KEY, None)

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        if not self.OIDC_OP_USER_ENDPOINT:
            return {}
        return super().get_userinfo(access_token, id_token, payload)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        # mozilla-django-oidc checks the signature, the nonce and the expiry; the audience and
        # the issuer are checked here.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise Refused(PROVIDER_ERROR, tried="aud")
        if (
            settings.OIDC_OP_ISSUER
            and payload.get("iss", "").rstrip("/") != settings.OIDC_OP_ISSUER
        ):
            raise Refused(PROVIDER_ERROR, tried="iss")
        claims = dict(payload)
        info = self.get_userinfo(access_token, id_token, payload)
        if isinstance(info, dict) and info.get("sub", payload.get("sub")) == payload.get("sub"):
            # The ID token's own claims (amr, acr) stay: they are signed.
            claims.update({k: v for k, v in info.items() if k not in {"amr", "acr"}})
        value = str(claims.get(settings.OIDC_MATCH_CLAIM) or "").strip()[:150]
        if not value:
            raise Refused(NO_CLAIM)
        field = settings.OIDC_MATCH_FIELD
        lookup = {"personal_id": value} if field == "personal_id" else {f"{field}__iexact": value}
        found = list(User.objects.select_related("unit").filter(**lookup)[:2])
        if len(found) > 1:
            raise Refused(AMBIGUOUS, tried=value)
        if found:
            user = found[0]
            if not user.is_active:
                raise Refused(INACTIVE, tried=value, user=user)
        elif settings.OIDC_CREATE_USER:
            user = account_create_from_claims(claims=claims, field=field, value=value)
        else:
            raise Refused(UNKNOWN, tried=value)
        assert self.request is not None
        self.request.sso_second_factor = second_factor_given(payload)  # type: ignore[attr-defined]
        return user

    def get_user(self, user_id: Any) -> User | None:
        return PasswordBackend.get_user(self, user_id)
