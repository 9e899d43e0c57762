"""A meeting's documents: their metadata, the download (HTTP Range), and for organisers an
upload through the documents page's form and service (M3, M7)."""

from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.datastructures import MultiValueDict
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from documents import services
from documents.forms import DocumentAddForm
from documents.selectors import meeting_documents
from documents.streaming import version_response
from documents.watermark import StampError, stamped_copy, stamped_response

from ..auth import read_auth, write_auth
from ..errors import form_errors, invalid
from ..rendering import json_response
from ..services import api_audit
from .common import (
    document_out,
    errors,
    load_document,
    load_meeting,
    storage_answers_503,
    token_of,
    user_of,
)
from .schemas import DocumentMetadataIn, DocumentOut, Id

router = Router(tags=["documents"])

BYTES = {"schema": {"type": "string", "format": "binary"}}
# The answer's Content-Type is the file's own (application/pdf, a Word file...): "*/*". Bytes
# first (application/octet-stream), so that client generators, which take the first type they
# know, hand them over as a file (openapi-python-client drops an answer described as "*/*" alone).
FILE = {"application/octet-stream": BYTES, "*/*": BYTES}
DOWNLOAD_RESPONSES = {
    200: {"description": "Cả tệp", "content": FILE},
    206: {"description": "Một đoạn của tệp (tiêu đề Range)", "content": FILE},
    416: {"description": "Đoạn yêu cầu nằm ngoài tệp", "content": {"text/plain": BYTES}},
}


@router.get(
    "/meetings/{meeting_id}/documents",
    response={200: list[DocumentOut], **errors(400, 401, 404)},
    auth=read_auth,
    url_name="meeting_documents",
    operation_id="listDocuments",
    summary="Tài liệu của cuộc họp",
)
def document_list(request: HttpRequest, meeting_id: Id) -> list[dict[str, Any]]:
    meeting = load_meeting(request, meeting_id)
    # Restricted documents (B11) only for those who may read them, as on the meeting page.
    documents = (
        meeting_documents(user_of(request), meeting)
        .filter(current__isnull=False)
        .select_related("current", "type", "field")
        .order_by("order", "id")
    )
    return [document_out(d) for d in documents]


@router.get(
    "/documents/{document_id}/download",
    response=errors(400, 401, 403, 404, 409),
    openapi_extra={"responses": DOWNLOAD_RESPONSES},
    auth=read_auth,
    url_name="document_download",
    operation_id="downloadDocument",
    summary="Tải tài liệu",
)
def document_download(request: HttpRequest, document_id: Id) -> HttpResponseBase:
    """The current version, whole or the single range asked for (`Range: bytes=0-1023`), as the
    documents page sends it; the first request of a download is recorded for the receipts (M7)
    and in the audit log with the token."""
    document = load_document(request, document_id)
    version = document.current
    if version is None or document.is_deleted:
        raise Http404
    version.document = document
    user = user_of(request)
    # A restricted document (B11): 403 where its organiser does not allow downloading, else the
    # reader's copy stamped with their name (documents.watermark), whole (no Range).
    if not user.has_perm("documents.download_document", document):
        raise PermissionDenied
    if not user.has_perm("documents.download_original", document):
        return _stamped(request, document, version)
    with storage_answers_503():
        response, first = version_response(request, version)
    if first:
        # No session: the download is the token's, not a sign-in's (the login log counts
        # sign-ins); the audit entry names the token instead.
        services.download_record(version=version, user=user_of(request), session_key=None)
        api_audit(
            document,
            token=token_of(request),
            event="api_document_downloaded",
            action=LogEntry.Action.ACCESS,
            version=version.number,
        )
    return response


def _stamped(request: HttpRequest, document: Any, version: Any) -> HttpResponseBase:
    try:
        stamped, filename = stamped_copy(document, version, user_of(request))
    except StampError as error:
        return json_response({"detail": str(error)}, status=409)
    response = stamped_response(stamped, filename)
    services.download_record(version=version, user=user_of(request), session_key=None)
    api_audit(
        document,
        token=token_of(request),
        event="api_document_downloaded",
        action=LogEntry.Action.ACCESS,
        version=version.number,
        stamped=True,
    )
    return response


@router.post(
    "/meetings/{meeting_id}/documents",
    response={201: DocumentOut, **errors(400, 401, 403, 404)},
    auth=write_auth,
    url_name="meeting_document_add",
    operation_id="addDocument",
    summary="Thêm tài liệu",
)
def document_add(
    request: HttpRequest,
    meeting_id: Id,
    file: File[UploadedFile],
    metadata: Form[DocumentMetadataIn],
) -> Status[dict[str, Any]]:
    """One file (multipart/form-data, field `file`), with the same checks as the page: allowed
    types whose content matches their extension, the size limit, no empty file."""
    meeting = load_meeting(request, meeting_id)
    if not request.user.has_perm("documents.add_document", meeting):
        raise PermissionDenied
    form = DocumentAddForm(
        {
            "type": metadata.type or "",
            "field": metadata.field or "",
            "issuer": metadata.issuer,
        },
        MultiValueDict({"files": [file]}),
    )
    if not form.is_valid():
        raise form_errors(form)
    try:
        document = services.document_add(
            meeting=meeting, by=user_of(request), uploaded=file, metadata=form.metadata()
        )
    except ValidationError as error:
        raise invalid({"file": [str(m) for m in error.messages]}) from error
    api_audit(
        document,
        token=token_of(request),
        event="api_document_added",
        action=LogEntry.Action.CREATE,
        meeting=meeting.pk,
    )
    document.refresh_from_db()
    return Status(201, document_out(document))
