"""Signing a registered record's PDF and downloading the signed PDF (B14).
Load -> check access (the registry's rules) -> act; writes in signatures.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from documents.storage import answers_503_when_storage_down

from . import registry, services
from .forms import SignForm
from .models import SignedPdf


def _object(request: HttpRequest, key: str, pk: int) -> tuple[registry.Signable, Model]:
    entry = registry.lookup(key)
    if entry is None:
        raise Http404
    obj = entry.model._default_manager.filter(pk=pk).first()
    if obj is None or not request.user.has_perm(entry.may_view, obj):
        raise Http404
    return entry, obj


def _back(request: HttpRequest, obj: Model, wanted: str | None) -> str:
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if get_url else "/"


@sensitive_post_parameters("secret")
@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def sign(request: AuthenticatedHttpRequest, key: str, pk: int) -> HttpResponse:
    entry, obj = _object(request, key, pk)
    if not request.user.has_perm(entry.may_sign, obj):
        raise PermissionDenied
    user: User = request.user
    keys = services.keys_of(user)
    back = _back(request, obj, request.POST.get("next") or request.GET.get("next"))
    form = SignForm(request.POST or None, keys=keys, initial={"next": back})
    if request.method == "POST" and form.is_valid():
        try:
            services.sign(
                obj=obj,
                entry=entry,
                key=form.cleaned_data["key"],
                secret=form.cleaned_data["secret"],
                by=user,
            )
        except ValidationError as error:
            form.add_error("secret" if error.code in {"passphrase", "pin"} else None, error)
        else:
            messages.success(request, _("Đã ký số “%s”.") % entry.title(obj))
            return redirect(back)
    return render(
        request,
        "signatures/sign.html",
        {"form": form, "object": obj, "title": entry.title(obj), "keys": keys, "back": back},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
@answers_503_when_storage_down
def download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    record = SignedPdf.objects.select_related("content_type").filter(pk=pk).first()
    if record is None:
        raise Http404
    entry = registry.lookup(f"{record.content_type.app_label}.{record.content_type.model}")
    if entry is None:
        raise Http404
    obj = entry.model._default_manager.filter(pk=record.object_id).first()
    if obj is None or not request.user.has_perm(entry.may_view, obj):
        raise Http404
    name = f"{slugify(record.title)[:80] or 'van-ban'}-da-ky-so.pdf"
    response = FileResponse(
        record.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
