"""The two pages of single sign-on: the way out to the provider and the way back (accounts.sso).
Both are absent (404) while no provider is configured."""

from typing import Any

from django.contrib import auth, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from core.http import client_ip, user_agent

from . import sso, two_factor
from .login_log import login_event_record
from .models import LoginEvent


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    messages.error(request, sso.refusal_message(reason))
    return redirect("accounts:login")


class SingleSignOnStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in; state, nonce and PKCE kept in the session."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not sso.enabled():
            raise Http404
        if request.user.is_authenticated:
            return redirect("portal:dashboard")
        try:
            # Read when the page is asked (the library reads it from the settings at start-up).
            self.OIDC_OP_AUTH_ENDPOINT = sso.provider().authorization_endpoint
        except sso.ProviderUnavailable:
            return _refused(request, sso.PROVIDER_ERROR)
        return super().dispatch(request, *args, **kwargs)


class SingleSignOnCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code (or an error). The account is found
    by the backend (accounts.sso.SingleSignOnBackend); then either signed in, or sent to our own
    code step when the provider did not ask for a second factor and the account has one."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not sso.enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state")
        if "code" in request.GET and state not in (request.session.get("oidc_states") or {}):
            # Another browser's answer, one used already, or a forged one (the library raises
            # SuspiciousOperation, a bare 400): said in words on the sign-in page.
            self._record_failure(tried="")
            return _refused(request, sso.EXPIRED)
        return super().get(request)

    def _record_failure(self, *, tried: str) -> None:
        login_event_record(
            kind=LoginEvent.Kind.FAILURE,
            method=LoginEvent.Method.SSO,
            user=None,
            username_tried=tried,
            ip_address=client_ip(self.request),
            user_agent=user_agent(self.request),
        )

    def login_failure(self) -> HttpResponse:
        refusal = getattr(self.request, "sso_refusal", None)
        if not hasattr(self, "user"):
            # The provider answered with an error (the person cancelled, say) or with nothing:
            # no sign-in was tried, so the login log's receiver heard nothing.
            self._record_failure(tried=str(self.request.GET.get("error", ""))[:150])
        return _refused(self.request, refusal.reason if refusal else sso.PROVIDER_ERROR)

    def login_success(self) -> HttpResponse:
        request, user = self.request, self.user
        next_url = self.success_url
        provider_checked = bool(getattr(request, "sso_second_factor", False))
        if request.user.is_authenticated and request.user != user:
            auth.logout(request)
        if not provider_checked and two_factor.is_enrolled(user):
            # Not signed in yet: our code step signs in, as after a password.
            two_factor.pending_begin(request, user=user, redirect_to=next_url)
            return redirect("accounts:two_factor_verify")
        auth.login(request, user, backend=sso.BACKEND)
        if provider_checked:
            two_factor.provider_verified(request)
        return redirect(next_url)
