"""Two-factor sign-in and the account's sessions (B8): the code step of sign-in, enrolment, the
backup codes, and signing sessions out. The work is in accounts.two_factor and accounts.sessions."""

import rules
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from rules.contrib.views import permission_required

from . import sessions, two_factor
from .forms import TwoFactorCodeForm
from .http import AuthenticatedHttpRequest
from .models import User, UserSession
from .views import locked_out


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: the authenticator's code or a backup code."""
    user: User | None
    if request.user.is_authenticated:
        user = request.user  # a session signed in before its account enrolled
        if two_factor.session_is_verified(request) or not two_factor.is_enrolled(user):
            return redirect(settings.LOGIN_REDIRECT_URL)
    else:
        user = two_factor.pending_user(request)
    if user is None:
        two_factor.pending_clear(request)
        return redirect(settings.LOGIN_URL)
    if AxesProxyHandler.is_locked(request, {"username": user.username}):
        two_factor.pending_clear(request)
        if request.user.is_authenticated:
            logout(request)
        return locked_out(request)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.code_check(user=user, code=form.cleaned_data["code"], request=request)
        if device is not None:
            next_url = two_factor.pending_next(request)
            two_factor.sign_in_verify(request, user=user, device=device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _("Bạn vừa dùng một mã dự phòng; còn %(left)d mã.")
                    % {"left": two_factor.backup_codes_left(user)},
                )
            return redirect(next_url)
        if getattr(request, "axes_locked_out", False):
            # django-axes's middleware answers with the lockout page; this sign-in is over.
            two_factor.pending_clear(request)
        form.add_error(
            "code",
            _(
                "Mã xác thực không đúng hoặc đã được dùng. Lưu ý: nhập sai nhiều lần liên tiếp, "
                "tài khoản sẽ bị tạm khoá."
            ),
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "account": user})


@login_required
@permission_required("accounts.enrol_two_factor", raise_exception=True)
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol (or enrol again) an authenticator app: QR code and secret, confirmed by a code."""
    user = request.user
    key = two_factor.enrolment_key(request)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.enrolment_confirm(
            user=user,
            key=key,
            code=form.cleaned_data["code"],
            keep_session_key=request.session.session_key,
        )
        if codes:
            two_factor.enrolled_in_session(request, user)
            request.session[two_factor.BACKUP_CODES_KEY] = codes
            messages.success(request, _("Đã bật xác thực hai bước."))
            return redirect("accounts:two_factor_backup_codes")
        form.add_error("code", _("Mã không đúng. Hãy nhập mã đang hiện trên ứng dụng xác thực."))
    device = two_factor.enrolment_device(user, key)
    enrolled = two_factor.is_enrolled(user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "enrolled": enrolled,
            "forced": two_factor.required_for(user) and not enrolled,
        },
    )


@login_required
@require_http_methods(["GET"])
def two_factor_backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The backup codes, shown once, right after enrolment."""
    codes = request.session.pop(two_factor.BACKUP_CODES_KEY, None)
    if not codes:
        messages.info(request, _("Mã dự phòng chỉ hiện một lần. Muốn có mã mới, hãy đăng ký lại."))
        return redirect("accounts:account")
    return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})


@require_POST
@login_required
def two_factor_remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    # rules.has_perm, not user.has_perm: admins are superusers, and they may not turn it off.
    if not rules.has_perm("accounts.remove_two_factor", user):
        raise PermissionDenied
    if two_factor.two_factor_remove(user=user):
        messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("accounts:account")


@require_POST
@login_required
def session_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Signs one of the account's own sessions out (somebody else's is a 404)."""
    user_session = get_object_or_404(UserSession, pk=pk, user=request.user)
    if not rules.has_perm("accounts.end_session", request.user, user_session):
        raise PermissionDenied
    if user_session.session_key == request.session.session_key:
        logout(request)
        return redirect(settings.LOGOUT_REDIRECT_URL)
    sessions.session_end(user_session=user_session)
    messages.success(request, _("Đã đăng xuất phiên đó."))
    return redirect("accounts:account")


@require_POST
@login_required
def sessions_end_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = sessions.sessions_end(user=request.user, keep_session_key=request.session.session_key)
    if count:
        messages.success(request, _("Đã đăng xuất %(count)d phiên khác.") % {"count": count})
    else:
        messages.info(request, _("Không có phiên nào khác."))
    return redirect("accounts:account")
