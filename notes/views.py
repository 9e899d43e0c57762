"""Notes pages: the viewer's JSON endpoints (list, create, change, delete) and "Ghi chú của tôi"
with its PDF and Word exports. Load -> check access -> act; writes in notes.services.

The JSON endpoints take the CSRF token in the X-CSRFToken header (the viewer page has it). A
document the account does not see is a 404, and so is a note it may not read; one it reads but
did not write (shared by its unit) is a 403 on change."""

import json
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, RawPostDataException
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.shortcuts import get_object_for
from documents.models import Document, DocumentVersion

from . import selectors, services
from .models import Note

# A note's JSON is small; a body past this is not a note.
MAX_BODY = 64 * 1024
PAGE_SIZE = 20


def viewer_url(document_id: int, page: int | None = None) -> str:
    """The viewer at a page; before the viewer exists, the document's own page."""
    try:
        url = reverse("viewer:document", args=[document_id])
    except NoReverseMatch:
        return reverse("documents:detail", args=[document_id])
    return f"{url}#page={page}" if page else url


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def note_json(note: Note, user: User, current_id: int | None) -> dict[str, Any]:
    mine = note.author_id == user.pk
    data: dict[str, Any] = {
        "id": note.pk,
        "clientId": str(note.client_id) if mine else None,
        "kind": note.kind,
        "page": note.page,
        "quote": note.quote,
        "text": note.text,
        "rects": note.rects,
        "shared": note.is_shared,
        "mine": mine,
        "author": note.author.get_full_name(),
        "versionId": note.version_id,
        "versionNumber": note.version.number,
        "otherVersion": note.version_id != current_id,
        "created": _when(note.created_at),
        "updated": _when(note.updated_at),
    }
    if mine:
        data["updateUrl"] = reverse("notes:update", args=[note.pk])
        data["deleteUrl"] = reverse("notes:delete", args=[note.pk])
    return data


def _bad(error: ValidationError | str) -> JsonResponse:
    message = error if isinstance(error, str) else " ".join(error.messages)
    return JsonResponse({"error": message}, status=400)


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        # A form's body (multipart) has been read as a stream by the CSRF check already; the
        # viewer sends JSON only, so anything else is refused as unreadable.
        body = request.body
    except RawPostDataException as error:
        raise ValidationError(_("Dữ liệu gửi lên không đọc được.")) from error
    if len(body) > MAX_BODY:
        raise ValidationError(_("Dữ liệu gửi lên quá lớn."))
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(_("Dữ liệu gửi lên không đọc được.")) from error
    if not isinstance(data, dict):
        raise ValidationError(_("Dữ liệu gửi lên không đọc được."))
    return data


def _flag(value: Any) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ValidationError(_("Lựa chọn chia sẻ không hợp lệ."))
    return value


@require_http_methods(["GET", "POST"])
@login_required
def document_notes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the notes of the document the account reads (its own, then its unit's shared).
    POST: a new note on the document (JSON)."""
    document = get_object_for(
        request.user,
        "documents.view_document",
        Document.objects.select_related("meeting", "current"),
        pk=pk,
    )
    user: User = request.user
    if request.method == "GET":
        notes = [
            note_json(n, user, document.current_id)
            for n in selectors.notes_for_document(user, document)
        ]
        response = JsonResponse(
            {
                "document": document.pk,
                "currentVersion": document.current_id,
                "mayShare": user.unit_id is not None,
                "createUrl": reverse("notes:document", args=[document.pk]),
                "notes": notes,
            }
        )
        response["Cache-Control"] = "private, no-store"
        return response
    if not user.has_perm("notes.add_note", document):
        raise PermissionDenied
    try:
        data = _body(request)
        version = None
        if data.get("versionId") not in (None, ""):
            version = DocumentVersion.objects.filter(
                document=document, pk=_int(data["versionId"])
            ).first()
            if version is None:
                raise ValidationError(_("Phiên bản không thuộc tài liệu này."))
            if version.pk != document.current_id and not user.has_perm(
                "documents.view_old_versions", document
            ):
                raise ValidationError(_("Chỉ ghi chú được trên phiên bản hiện hành."))
        client_id = None
        if data.get("clientId"):
            try:
                client_id = uuid.UUID(str(data["clientId"]))
            except ValueError as error:
                raise ValidationError(_("Mã ghi chú không hợp lệ.")) from error
        note, created = services.note_create(
            by=user,
            document=document,
            version=version,
            page=data.get("page"),
            kind=str(data.get("kind", "")),
            rects=data.get("rects"),
            text=data.get("text", ""),
            quote=data.get("quote", ""),
            share=bool(_flag(data.get("shared"))),
            client_id=client_id,
        )
    except ValidationError as error:
        return _bad(error)
    return JsonResponse(
        {"note": note_json(note, user, document.current_id)}, status=201 if created else 200
    )


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValidationError(_("Phiên bản không thuộc tài liệu này."))
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Phiên bản không thuộc tài liệu này.")) from error


def _own_note(request: HttpRequest, pk: int) -> Note:
    note = get_object_for(
        request.user,
        "notes.view_note",
        Note.objects.alive().select_related(
            "document__meeting", "document__current", "author", "version"
        ),
        pk=pk,
    )
    if not request.user.has_perm("notes.change_note", note):
        raise PermissionDenied
    return note


@require_POST
@login_required
def note_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = _own_note(request, pk)
    user: User = request.user
    try:
        data = _body(request)
        text = data.get("text")
        note = services.note_update(note=note, by=user, text=text, share=_flag(data.get("shared")))
    except ValidationError as error:
        return _bad(error)
    return JsonResponse({"note": note_json(note, user, note.document.current_id)})


@require_POST
@login_required
def note_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = _own_note(request, pk)
    services.note_delete(note=note, by=request.user)
    return JsonResponse({"deleted": note.pk})


def _meeting_filter(request: HttpRequest) -> int | None:
    try:
        value = int(request.GET.get("cuoc-hop", "")[:19])
    except ValueError:
        return None
    # Ids are 63-bit at most: a larger number names no meeting (and no database takes it).
    return value if 0 < value < 2**63 else None


@require_GET
@login_required
def my_notes(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    meeting_id = _meeting_filter(request)
    page = Paginator(selectors.own_notes(user, meeting_id), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    for note in page:
        note.viewer_url = viewer_url(note.document_id, note.page)  # type: ignore[attr-defined]
    return render(
        request,
        "notes/mine.html",
        {
            "page": page,
            "meetings": selectors.meetings_with_notes(user),
            "meeting_id": meeting_id,
        },
    )


def _export_groups(
    user: User, meeting_id: int | None, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """The notes by meeting, then document: what both exports print; and whether there were
    more than `limit` (then the export says so)."""
    groups: list[dict[str, Any]] = []
    notes = list(selectors.own_notes(user, meeting_id)[: limit + 1])
    for note in notes[:limit]:
        document = note.document
        if not groups or groups[-1]["meeting"].pk != document.meeting_id:
            groups.append({"meeting": document.meeting, "documents": []})
        documents = groups[-1]["documents"]
        if not documents or documents[-1]["document"].pk != document.pk:
            documents.append({"document": document, "notes": []})
        documents[-1]["notes"].append(note)
    return groups, len(notes) > limit


def _truncated_message(limit: int) -> str:
    return _(
        "Chỉ in %(limit)d ghi chú đầu tiên. Hãy lọc theo cuộc họp để in các ghi chú còn lại."
    ) % {"limit": limit}


def _filename(ext: str) -> str:
    return f"ghi-chu-cua-toi-{timezone.localdate():%Y%m%d}.{ext}"


@require_GET
@login_required
def export_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    # WeasyPrint needs Pango from the system; loaded here so that the rest runs without it.
    from weasyprint import HTML

    groups, truncated = _export_groups(user, _meeting_filter(request), selectors.PDF_LIMIT)
    html = render_to_string(
        "notes/export.html",
        {
            "groups": groups,
            "truncated": _truncated_message(selectors.PDF_LIMIT) if truncated else "",
            "owner": user,
            "today": timezone.localdate(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, _filename("pdf")) or ""
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def export_docx(request: AuthenticatedHttpRequest) -> HttpResponse:
    import io

    import docx

    user: User = request.user
    groups, truncated = _export_groups(user, _meeting_filter(request), selectors.DOCX_LIMIT)
    word = docx.Document()
    word.add_heading(_("GHI CHÚ CỦA TÔI"), level=1)
    word.add_paragraph(
        _("%(name)s · lập ngày %(day)s")
        % {"name": user.get_full_name(), "day": timezone.localdate().strftime("%d/%m/%Y")}
    )
    if truncated:
        word.add_paragraph(_truncated_message(selectors.DOCX_LIMIT))
    if not groups:
        word.add_paragraph(_("Chưa có ghi chú nào."))
    for group in groups:
        meeting = group["meeting"]
        word.add_heading(
            f"{meeting.title} ({timezone.localtime(meeting.start_at):%d/%m/%Y})", level=2
        )
        for entry in group["documents"]:
            word.add_heading(entry["document"].title, level=3)
            for note in entry["notes"]:
                head = word.add_paragraph()
                label = _("Trang %(page)d") % {"page": note.page}
                if note.version_id != entry["document"].current_id:
                    label += " · " + _("ghi trên phiên bản %(n)d") % {"n": note.version.number}
                label += " · " + note.get_kind_display()
                head.add_run(label).bold = True
                head.add_run(" · " + _when(note.created_at))
                if note.updated_at and note.updated_at != note.created_at:
                    head.add_run(" · " + _("sửa %(when)s") % {"when": _when(note.updated_at)})
                if note.quote:
                    word.add_paragraph(f"“{note.quote}”").runs[0].italic = True
                if note.text:
                    word.add_paragraph(note.text)
    buffer = io.BytesIO()
    word.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, _filename("docx")) or ""
    response["Cache-Control"] = "private, no-store"
    return response
