"""Document pages and downloads. Documents inherit their meeting's protection (rules.py): an
account that may not see one gets 404, whatever id it guesses (D2)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.shortcuts import get_object_for
from meetings.models import AgendaItem, Meeting
from meetings.notices import announce_changes
from meetings.rules import organises_meeting

from . import offers, services
from .forms import (
    DocumentAddForm,
    DocumentAgendaItemForm,
    DocumentDeleteForm,
    DocumentEditForm,
    DocumentReplaceForm,
)
from .models import Document, DocumentVersion
from .selectors import meeting_documents
from .storage import answers_503_when_storage_down
from .streaming import version_response, zip_response
from .watermark import StampError, stamped_copy, stamped_response


def _document(
    request: AuthenticatedHttpRequest, pk: int, perm: str = "documents.view_document"
) -> Document:
    document = get_object_for(
        request.user,
        "documents.view_document",
        Document.objects.select_related("meeting", "current", "type", "field"),
        pk=pk,
        meeting__deleted_at__isnull=True,
    )
    if perm != "documents.view_document" and not request.user.has_perm(perm, document):
        raise PermissionDenied
    return document


@require_http_methods(["GET", "POST"])
@login_required
def document_add(request: AuthenticatedHttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_object_for(
        request.user, "meetings.view_meeting", Meeting.objects.alive(), pk=meeting_pk
    )
    if not request.user.has_perm("documents.add_document", meeting):
        raise PermissionDenied
    form = DocumentAddForm(
        request.POST or None,
        request.FILES or None,
        meeting=meeting,
        initial={"agenda_item": _chosen_item(request, meeting)},
    )
    if request.method == "POST" and form.is_valid():
        stored = 0
        for uploaded in form.cleaned_data["files"]:
            try:
                services.document_add(
                    meeting=meeting,
                    by=request.user,
                    uploaded=uploaded,
                    metadata=form.metadata(),
                    notify=False,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("files", message)
            else:
                stored += 1
        if stored:
            # One message for the whole batch; the outbox's periodic pass covers a crash here.
            announce_changes(meeting, request.user)
            messages.success(request, _("Đã tải lên %(count)s tài liệu.") % {"count": stored})
        if not form.errors:
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "documents/add.html", {"meeting": meeting, "form": form})


def _chosen_item(request: AuthenticatedHttpRequest, meeting: Meeting) -> int | None:
    """The agenda item the meeting page's "add documents to this item" link names, if it is one
    of this meeting's."""
    wanted = request.GET.get("noi-dung", "")
    if not wanted.isdigit():
        return None
    return (
        AgendaItem.objects.filter(meeting=meeting, pk=int(wanted))
        .values_list("pk", flat=True)
        .first()
    )


@require_POST
@login_required
def document_set_agenda_item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The documents list's select: moves one document under an agenda item, or back to the
    common documents. With HTMX the select comes back in place; without, the meeting page."""
    document = _document(request, pk, "documents.change_document")
    if document.is_deleted:
        raise Http404
    meeting = document.meeting
    form = DocumentAgendaItemForm(request.POST, meeting=meeting)
    error = ""
    if form.is_valid():
        try:
            document = services.document_set_agenda_item(
                document=document,
                by=request.user,
                agenda_item=form.cleaned_data["agenda_item"],
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
    else:
        error = " ".join(str(message) for message in form.errors.get("agenda_item", []))
    if request.headers.get("HX-Request") == "true":
        return render(
            request,
            "documents/_agenda_select.html",
            {
                "document": document,
                "agenda_items": list(meeting.agenda_items.order_by("position", "id")),
                "saved": not error,
                "error": error,
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Đã chuyển tài liệu “%(title)s”.") % {"title": document.title})
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#tai-lieu-{document.pk}")


@require_GET
@login_required
def document_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    user: User = request.user
    versions = []
    if user.has_perm("documents.view_old_versions", document):
        versions = list(document.versions.select_related("uploaded_by").order_by("-number"))
    may_download_original = user.has_perm("documents.download_original", document)
    audience_names: list[str] = []
    if document.restricted and not document.is_deleted:
        services.restricted_view_record(document=document, user=user, where="page")
        if may_download_original:
            audience = document.audience.select_related("unit", "committee", "person")
            audience_names = [str(invitation) for invitation in audience]
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "meeting": document.meeting,
            "versions": versions,
            "may_change": user.has_perm("documents.change_document", document),
            "may_download": user.has_perm("documents.download_document", document),
            "may_download_original": may_download_original,
            "audience_names": audience_names,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def document_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk, "documents.change_document")
    if document.is_deleted:
        raise Http404
    form = DocumentEditForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(document=document, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu thông tin tài liệu."))
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/edit.html", {"document": document, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def document_replace(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk, "documents.change_document")
    if document.is_deleted:
        raise Http404
    form = DocumentReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.document_replace(
                document=document,
                by=request.user,
                uploaded=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request, _("Đã thay bằng phiên bản %(number)s.") % {"number": version.number}
            )
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/replace.html", {"document": document, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def document_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk, "documents.change_document")
    if document.is_deleted:
        raise Http404
    form = DocumentDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_delete(
                document=document,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã xoá tài liệu “%s”.") % document.title)
            return redirect("meetings:detail", pk=document.meeting_id)
    return render(request, "documents/delete.html", {"document": document, "form": form})


def _send_document(
    request: AuthenticatedHttpRequest, document: Document, version: DocumentVersion
) -> HttpResponseBase:
    """The version as stored, or for a restricted document's reader a PDF stamped with their
    name (B11); a restricted document its organiser does not let them download is a 403."""
    user: User = request.user
    if not user.has_perm("documents.download_document", document):
        raise PermissionDenied
    if user.has_perm("documents.download_original", document):
        return _send(request, version)
    return stamped_download(request, document, version)


def stamped_download(
    request: AuthenticatedHttpRequest, document: Document, version: DocumentVersion
) -> HttpResponseBase:
    """The version as a PDF with the reader's watermark on every page (B11); when it cannot be
    stamped (no PDF yet, encrypted, broken) the page says why (409) and nothing is recorded."""
    user: User = request.user
    try:
        stamped, filename = stamped_copy(document, version, user)
    except StampError as error:
        return _refused(request, document, str(error))
    response = stamped_response(stamped, filename)
    services.download_record(version=version, user=user, session_key=request.session.session_key)
    return response


def _refused(request: AuthenticatedHttpRequest, document: Document, message: str) -> HttpResponse:
    return render(
        request,
        "documents/stamp_refused.html",
        {"document": document, "meeting": document.meeting, "message": message},
        status=409,
    )


def _send(request: AuthenticatedHttpRequest, version: DocumentVersion) -> HttpResponseBase:
    response, first = version_response(request, version)
    if first:
        services.download_record(
            version=version,
            user=request.user,
            session_key=request.session.session_key,
        )
    return response


@require_GET
@login_required
@answers_503_when_storage_down
def download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The current version of a document."""
    document = _document(request, pk)
    if document.current is None or document.is_deleted:
        raise Http404
    document.current.document = document
    return _send_document(request, document, document.current)


@require_GET
@login_required
@answers_503_when_storage_down
def download_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """An older version: the organiser's only (M3)."""
    version = (
        DocumentVersion.objects.select_related("document__meeting")
        .filter(pk=pk, document__meeting__deleted_at__isnull=True)
        .first()
    )
    if version is None or not request.user.has_perm("documents.view_document", version.document):
        raise Http404
    if version.document.current_id != version.pk and not request.user.has_perm(
        "documents.view_old_versions", version.document
    ):
        raise Http404
    return _send_document(request, version.document, version)


@require_GET
@login_required
@answers_503_when_storage_down
def watermarked_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """What the viewer reads for a restricted document's reader (B11): the version's PDF (or its
    conversion) stamped with the reader's watermark, inline and whole. Reading online needs no
    download permission; the viewer's opening is the receipt, the bytes record nothing."""
    version = (
        DocumentVersion.objects.select_related("document__meeting")
        .filter(pk=pk, document__deleted_at__isnull=True)
        .filter(document__meeting__deleted_at__isnull=True)
        .first()
    )
    user: User = request.user
    if version is None or not version.document.restricted:
        raise Http404
    if not user.has_perm("documents.view_document", version.document):
        raise Http404
    if version.document.current_id != version.pk and not user.has_perm(
        "documents.view_old_versions", version.document
    ):
        raise Http404
    try:
        stamped, filename = stamped_copy(version.document, version, user)
    except StampError as error:
        return _refused(request, version.document, str(error))
    return stamped_response(stamped, filename, as_attachment=False)


@require_GET
@login_required
@answers_503_when_storage_down
def download_all(request: AuthenticatedHttpRequest, meeting_pk: int) -> HttpResponseBase:
    """Every current document of the meeting as one streamed ZIP."""
    meeting = get_object_for(
        request.user, "meetings.view_meeting", Meeting.objects.alive(), pk=meeting_pk
    )
    # What the account may read; a restricted document is left out but for its organisers (its
    # readers download it stamped with their name, one by one from its page: B11).
    readable = meeting_documents(request.user, meeting)
    if not organises_meeting(request.user, meeting):
        readable = readable.filter(restricted=False)
    versions = list(
        DocumentVersion.objects.filter(
            document__in=readable.values("pk"),
            document__meeting=meeting,
            document__deleted_at__isnull=True,
            current_of__isnull=False,
        )
        .select_related("document")
        .order_by("document__order", "document__id")
    )
    if not versions:
        raise Http404
    name = (slugify(meeting.title, allow_unicode=True)[:80] or "cuoc-hop") + ".zip"
    # Built first: an unavailable storage is a 503 page and records no receipt.
    # Files the apps above add for this reader (the meeting pack when it is ready): offers.
    response = zip_response(
        [(v.original_name, v.file.name, v.size) for v in versions]
        + offers.zip_parts(meeting, request.user),
        storage=versions[0].file.storage,
        zip_name=name,
    )
    for version in versions:
        services.download_record(
            version=version,
            user=request.user,
            session_key=request.session.session_key,
        )
    return response
