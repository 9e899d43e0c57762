from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from .forms import ChangePasswordForm, ContactForm, SignInForm
from .lockout import AccountAndAddressHandler
from .services import password_is_expired


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@method_decorator(sensitive_post_parameters(), name="dispatch")
class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:dashboard")

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["forced"] = user.must_change_password  # type: ignore[union-attr]
        context["expired"] = password_is_expired(user)  # type: ignore[arg-type]
        return context

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


@login_required
@permission_required("accounts.view_own_account", raise_exception=True)
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The account holder's own page: who they are in the system, their contact details (which
    they may correct) and their recent sign-ins."""
    user = request.user
    form = ContactForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thông tin liên hệ."))
        return redirect("accounts:account")
    recent_logins = user.login_events.all()[:10]  # type: ignore[union-attr]
    return render(
        request,
        "accounts/account.html",
        {"account": user, "recent_logins": recent_logins, "form": form},
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
