import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from core.http import client_ip, user_agent
from core.limits import limited

from . import sessions, sso, two_factor
from .forms import ChangePasswordForm, ContactForm, SignInForm
from .http import AuthenticatedHttpRequest
from .lockout import AccountAndAddressHandler
from .login_log import login_event_record
from .models import LoginEvent
from .services import password_is_expired


# The sign-in form's submissions per address (core.limits), before django-axes's lockout, which
# counts failures per account name and address.
@method_decorator(limited("login", methods=("POST",)), name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.is_enrolled(user):
            # Not signed in yet: the code step signs in (B8).
            two_factor.pending_begin(self.request, user=user, redirect_to=self.get_success_url())
            return redirect("accounts:two_factor_verify")
        return super().form_valid(form)

    def form_invalid(self, form):
        for code, kind in (
            ("temporary_expired", LoginEvent.Kind.TEMPORARY_EXPIRED),
            ("password_not_allowed", LoginEvent.Kind.FAILURE),
        ):
            if form.has_error(NON_FIELD_ERRORS, code):
                login_event_record(
                    kind=kind,
                    user=form.user_cache,
                    username_tried=form.user_cache.username,
                    ip_address=client_ip(self.request),
                    user_agent=user_agent(self.request),
                )
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if sso.enabled():
            start = reverse("accounts:sso_start")
            next_url = context.get("next")
            context["sso_label"] = sso.label()
            context["sso_url"] = f"{start}?{urlencode({'next': next_url})}" if next_url else start
        context["password_admins_only"] = settings.PASSWORD_SIGN_IN == "admins"
        return context


class SignOutView(auth_views.LogoutView):
    """Ends the session here; a session signed in through the provider then goes on to the
    provider's end-session page with its ID token, which ends it there too. A page that goes on by
    itself, not a redirect: the page's policy lets forms post to this site only (form-action),
    and the browser holds the redirect after a post to that."""

    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        at_provider = sso.end_session_url(request)
        response = super().post(request, *args, **kwargs)
        if at_provider is not None:
            response = render(
                request, "accounts/sso_logout.html", {"url": at_provider, "sso_label": sso.label()}
            )
        # Nothing of the account stays on the device (a shared tablet): the browser empties the
        # site's caches and storage (what was kept for reading offline, IndexedDB, the service
        # worker), the session cookie being gone already.
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@method_decorator(sensitive_post_parameters(), name="dispatch")
class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:dashboard")
    request: AuthenticatedHttpRequest  # PasswordChangeView lets only the signed-in in

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["forced"] = user.must_change_password
        context["expired"] = password_is_expired(user)
        return context

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["keep_session_key"] = self.request.session.session_key
        return kwargs

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)
        sessions.session_rekey(old_key=old_key, new_key=self.request.session.session_key)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


@login_required
@permission_required("accounts.view_own_account", raise_exception=True)
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account holder's own page: who they are in the system, their contact details (which
    they may correct) and their recent sign-ins."""
    user = request.user
    form = ContactForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thông tin liên hệ."))
        return redirect("accounts:account")
    recent_logins = user.login_events.all()[:10]
    holder = user
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "recent_logins": recent_logins,
            "form": form,
            # Two-factor sign-in and sessions (B8).
            "two_factor_enrolled": two_factor.is_enrolled(holder),
            "two_factor_required": two_factor.required_for(holder),
            # rules.has_perm, not user.has_perm: admins are superusers, and may not turn it off.
            "two_factor_may_remove": rules.has_perm("accounts.remove_two_factor", holder),
            "backup_codes_left": two_factor.backup_codes_left(holder),
            "sessions": sessions.sessions_of(holder, current_key=request.session.session_key),
        },
    )


def locked_out(
    request: HttpRequest, credentials: dict | None = None, *args: object, **kwargs: object
) -> HttpResponse:
    """Shown by django-axes when an account name, or the address, is locked
    (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    address = AccountAndAddressHandler().address_is_locked(request, credentials)
    return render(
        request, "accounts/locked_out.html", {"minutes": minutes, "address": address}, status=429
    )
