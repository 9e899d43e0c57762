"""The account's API page: its access tokens, a new one (shown once) and revoking (B4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.shortcuts import get_object_for
from notifications.ics import site_url

from . import selectors, services
from .forms import TokenCreateForm
from .models import AccessToken


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account's tokens, newest first; a new one is shown on this answer only, never again."""
    user: User = request.user
    if not user.has_perm("api.view_own_tokens"):
        raise PermissionDenied
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST":
        if not user.has_perm("api.add_accesstoken"):
            raise PermissionDenied
        if form.is_valid():
            token, plain = services.token_create(
                owner=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
            )
            created = {"token": token, "plain": plain}
            form = TokenCreateForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": selectors.tokens_of(user)[:100],
            "base_url": site_url("/api/v1/"),
            "docs_url": reverse("api_v1:openapi-view"),
        },
    )


@require_POST
@login_required
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    own = AccessToken.objects.filter(owner=user)
    token = get_object_for(user, "api.revoke_accesstoken", own, pk=pk)
    services.token_revoke(token=token, by=user)
    messages.success(request, _("Đã thu hồi mã “%s”. Mã này không còn dùng được.") % token.name)
    return redirect("api:tokens")
