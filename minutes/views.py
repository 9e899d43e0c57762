"""Minutes pages (B7): the minutes of a meeting, editing, regenerating, approving or returning,
a version, and the Word and PDF files. Load -> check access -> act; writes in minutes.services.

Who sees what is named in minutes/rules.py: the drafters and the approver see the
working copy and every version; the other invitees see the approved version only."""

import difflib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from core.models import field_label
from meetings.models import Meeting
from meetings.shortcuts import meeting_for

from . import exporting, selectors, services
from .forms import ApproveForm, MinutesForm, RegenerateForm, ReturnForm
from .models import Minutes, MinutesVersion

SIGN_TEMPLATE = "signatures/_sign.html"


def _minutes(meeting: Meeting) -> Minutes:
    minutes = selectors.minutes_of(meeting)
    if minutes is None:
        raise Http404(_("Cuộc họp chưa có biên bản."))
    return minutes


def _sign_template() -> str | None:
    """The signatures app's sign button, once that app provides it."""
    try:
        get_template(SIGN_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return SIGN_TEMPLATE


@require_GET
@login_required
def minutes_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "minutes.view_minutes")
    user = request.user
    minutes = selectors.minutes_of(meeting)
    drafts = user.has_perm("minutes.draft_minutes", meeting)
    context: dict = {
        "meeting": meeting,
        "minutes": minutes,
        "drafts": drafts,
        "may_change": user.has_perm("minutes.change_minutes", meeting),
        "may_approve": user.has_perm("minutes.approve_minutes", meeting),
    }
    if drafts and (minutes is None or minutes.status != Minutes.Status.APPROVED):
        context["approver"] = selectors.approver_of(meeting)
    if minutes is not None:
        context["published"] = minutes.approved_version
        context["published_pk"] = minutes.approved_version_id
        if drafts:
            context["latest"] = selectors.latest_version(minutes)
            context["versions"] = list(selectors.versions_of(minutes)[:100])
            context["history"] = selectors.history_of(minutes)
        if minutes.approved_version_id:
            context["sign_template"] = _sign_template()
            context["signed"] = selectors.signed_pdf(minutes) is not None
    return render(request, "minutes/detail.html", context)


@require_POST
@login_required
def minutes_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "minutes.change_minutes")
    services.minutes_start(meeting=meeting, by=request.user)
    messages.success(request, _("Đã lập dự thảo biên bản từ dữ liệu cuộc họp; hãy đọc và sửa."))
    return redirect("minutes:edit", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
@login_required
def minutes_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "minutes.change_minutes")
    minutes = _minutes(meeting)
    latest = selectors.latest_version(minutes)
    assert latest is not None
    status = 200
    if request.method == "POST":
        form = MinutesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = services.minutes_save(
                    minutes=minutes, by=request.user, text=data, based_on=data["based_on"]
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 409 if isinstance(error, services.StaleVersion) else 200
            else:
                messages.success(request, _("Đã lưu phiên bản %d của biên bản.") % version.number)
                return redirect("minutes:detail", pk=meeting.pk)
    else:
        form = MinutesForm(initial={**latest.text(), "based_on": latest.number})
    return render(
        request,
        "minutes/edit.html",
        {"meeting": meeting, "minutes": minutes, "latest": latest, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def minutes_regenerate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "minutes.change_minutes")
    minutes = _minutes(meeting)
    latest = selectors.latest_version(minutes)
    assert latest is not None
    if request.method == "POST":
        form = RegenerateForm(request.POST)
        if form.is_valid():
            try:
                version = services.minutes_regenerate(
                    minutes=minutes, by=request.user, based_on=form.cleaned_data["based_on"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Đã lập lại biên bản từ dữ liệu (phiên bản %d); các phiên bản trước vẫn "
                        "được lưu."
                    )
                    % version.number,
                )
                return redirect("minutes:edit", pk=meeting.pk)
    else:
        form = RegenerateForm(initial={"based_on": latest.number})
    return render(
        request,
        "minutes/regenerate.html",
        {"meeting": meeting, "minutes": minutes, "latest": latest, "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
def minutes_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "minutes.approve_minutes")
    minutes = _minutes(meeting)
    latest = selectors.latest_version(minutes)
    assert latest is not None
    if request.method == "POST":
        form = ApproveForm(request.POST)
        if form.is_valid():
            try:
                services.minutes_approve(
                    minutes=minutes,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    number=form.cleaned_data["number"],
                    place=form.cleaned_data["place"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Đã phê duyệt biên bản; thành phần mời đã được thông báo.")
                )
                return redirect("minutes:detail", pk=meeting.pk)
    else:
        form = ApproveForm(
            initial={
                "number": minutes.number or services.suggested_number(meeting),
                "place": minutes.place or getattr(settings, "MINUTES_PLACE", ""),
                "version": latest.number,
            }
        )
    return render(
        request,
        "minutes/approve.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "latest": latest,
            "form": form,
            "return_form": ReturnForm(initial={"version": latest.number}),
        },
    )


@require_POST
@login_required
def minutes_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "minutes.approve_minutes")
    minutes = _minutes(meeting)
    latest = selectors.latest_version(minutes)
    assert latest is not None
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_return(
                minutes=minutes,
                by=request.user,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã trả lại biên bản để thư ký sửa."))
            return redirect("minutes:detail", pk=meeting.pk)
    return render(
        request,
        "minutes/approve.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "latest": latest,
            "form": ApproveForm(initial={"number": minutes.number, "version": latest.number}),
            "return_form": form,
        },
    )


def _diff(before: MinutesVersion | None, after: MinutesVersion) -> list[tuple[str, str]]:
    """(kind, line) of the changes from the previous version: "+", "-" or " " (context)."""
    if before is None:
        return []
    rows: list[tuple[str, str]] = []
    for name in MinutesVersion.SECTIONS:
        old = getattr(before, name).splitlines()
        new = getattr(after, name).splitlines()
        if old == new:
            continue
        rows.append(("@", field_label(MinutesVersion, name)))
        for line in difflib.unified_diff(old, new, lineterm="", n=1):
            if line.startswith(("---", "+++", "@@")):
                continue
            rows.append((line[:1], line[1:]))
    return rows


@require_GET
@login_required
def minutes_version(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "minutes.draft_minutes")
    minutes = _minutes(meeting)
    version = get_object_or_404(
        MinutesVersion.objects.select_related("by"), minutes=minutes, number=number
    )
    before = minutes.versions.filter(number__lt=number).order_by("-number").first()
    return render(
        request,
        "minutes/version.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "version": version,
            "before": before,
            "diff": _diff(before, version),
        },
    )


def _file(minutes: Minutes, version: MinutesVersion, ext: str) -> HttpResponse:
    if ext == "pdf":
        content, kind = exporting.pdf(minutes, version), "application/pdf"
    else:
        content, kind = exporting.docx(minutes, version), exporting.DOCX
    response = HttpResponse(content, content_type=kind)
    name = exporting.file_name(minutes, version, ext)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


@require_GET
@login_required
def minutes_export(request: AuthenticatedHttpRequest, pk: int, ext: str) -> HttpResponse:
    """The approved minutes, for whoever sees the meeting; the signed PDF when there is one."""
    meeting = meeting_for(request, pk, "minutes.view_minutes")
    minutes = _minutes(meeting)
    if minutes.approved_version is None:
        raise Http404(_("Biên bản chưa được phê duyệt."))
    if ext == "pdf":
        signed = selectors.signed_pdf(minutes)
        if signed is not None:
            response = HttpResponse(signed.pdf, content_type="application/pdf")
            name = signed.name or exporting.file_name(minutes, minutes.approved_version, "pdf")
            response["Content-Disposition"] = content_disposition_header(True, name) or ""
            return response
    return _file(minutes, minutes.approved_version, ext)


@require_GET
@login_required
def minutes_version_export(
    request: AuthenticatedHttpRequest, pk: int, number: int, ext: str
) -> HttpResponse:
    meeting = meeting_for(request, pk, "minutes.draft_minutes")
    minutes = _minutes(meeting)
    version = get_object_or_404(MinutesVersion, minutes=minutes, number=number)
    return _file(minutes, version, ext)
