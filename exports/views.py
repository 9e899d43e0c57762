"""Export pages (D1): load, check access (exports/rules.py), act through a service, render.

The rules are asked with rules.has_perm rather than user.has_perm: admins are superusers, and
Django's superuser shortcut would let them approve their own request or download another
account's archive. An account that may not see a request gets 404, on every page.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from documents.storage import answers_503_when_storage_down

from . import selectors, services
from .archive import archive_stream, build_archive
from .forms import DecisionForm, ExportRequestForm
from .models import ExportRequest


def allowed(user: User, perm: str, obj: object = None) -> bool:
    return bool(rules.has_perm(perm, user, obj))


def _require(user: User, perm: str, obj: object = None) -> None:
    if not allowed(user, perm, obj):
        raise PermissionDenied


def _export(request: AuthenticatedHttpRequest, pk: int) -> ExportRequest:
    """Load a request this account may see, else 404 (the same answer as for a missing one)."""
    user: User = request.user
    export = get_object_or_404(selectors.export_requests_visible_to(user), pk=pk)
    if not allowed(user, "exports.view_request", export):
        raise Http404
    return export


@require_GET
@login_required
def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My requests and, for leaders, the requests waiting for their decision."""
    user: User = request.user
    _require(user, "exports.view_list")
    return render(
        request,
        "exports/list.html",
        {
            "mine": list(selectors.export_requests_of(user)[:100]),
            "to_decide": list(selectors.export_requests_to_decide(user)[:100]),
            "decided": selectors.export_requests_decided_by(user),
            "may_request": allowed(user, "exports.request"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def export_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    _require(user, "exports.request")
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export = services.export_request(by=user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã gửi đề nghị kết xuất; chờ lãnh đạo phê duyệt."))
            return redirect("exports:detail", export.pk)
    return render(request, "exports/form.html", {"form": form})


@require_GET
@login_required
def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user: User = request.user
    export = _export(request, pk)
    approved = export.status in {ExportRequest.Status.APPROVED, ExportRequest.Status.EXPIRED}
    meetings = (
        selectors.meetings_of_export(export)
        if approved
        else selectors.meetings_for_export(export.requested_by, export.date_from, export.date_to)
    )
    may_decide = export.is_pending and allowed(user, "exports.decide_request", export)
    return render(
        request,
        "exports/detail.html",
        {
            "export": export,
            "meetings": list(meetings.select_related("organiser_unit")[:500]),
            "may_decide": may_decide,
            "may_download": allowed(user, "exports.download", export),
            "is_requester": export.requested_by_id == user.pk,
            "form": DecisionForm() if may_decide else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def export_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Approve, or refuse with a reason. A second approval (double click) changes nothing."""
    user: User = request.user
    export = _export(request, pk)
    _require(user, "exports.decide_request", export)
    if not export.is_pending and request.method == "GET":
        messages.info(request, _("Đề nghị này đã được quyết định."))
        return redirect("exports:detail", export.pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                changed = services.export_approve(export=export, by=user)
                done = _("Đã phê duyệt: người đề nghị được tải trong 7 ngày.")
            else:
                changed = services.export_refuse(
                    export=export, by=user, reason=form.cleaned_data["reason"]
                )
                done = _("Đã từ chối đề nghị kết xuất.")
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if changed:
                messages.success(request, done)
            else:
                messages.info(request, _("Đề nghị này đã được quyết định."))
        return redirect("exports:detail", export.pk)
    return render(request, "exports/decide.html", {"export": export, "form": form})


@require_GET
@login_required
@answers_503_when_storage_down
def export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The archive, streamed as it is made (no length: the records' PDFs are made on the way);
    for the requester only, for 7 days after approval."""
    user: User = request.user
    export = _export(request, pk)
    if export.requested_by_id != user.pk:
        raise Http404
    if export.is_past_due() or export.status == ExportRequest.Status.EXPIRED:
        services.export_expire(export=export)
        return render(request, "exports/expired.html", {"export": export}, status=410)
    if not allowed(user, "exports.download", export):
        raise Http404
    archive = build_archive(export)
    stream = archive_stream(archive)
    services.export_download(
        export=export, by=user, meetings=len(archive.meetings), files=archive.file_count
    )
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, archive.zip_name) or (
        "attachment"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
