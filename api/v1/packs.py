"""A meeting's pack (tài liệu họp trọn bộ): its state, asking for it, and its download as one
PDF, built by the worker (packs/). Whoever may read the meeting's documents may read it; what it
holds for each reader is the pack's own plan (restricted documents stamped for their audience)."""

from typing import Any

from auditlog.models import LogEntry
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from documents.streaming import file_response, is_first_chunk
from meetings.models import Meeting
from notifications.ics import site_url
from packs import services
from packs.models import Pack
from packs.plan import Plan
from packs.selectors import current_pack, pack_filename

from ..auth import read_auth
from ..errors import ApiError
from ..services import api_audit
from .common import errors, load_meeting, storage_answers_503, token_of, user_of
from .documents import BYTES
from .schemas import Id, PackOut

router = Router(tags=["documents"])

# Bytes first (application/octet-stream), as for documents: client generators take the first type
# they know and hand it over as a file; the answer itself says application/pdf.
PDF = {"application/octet-stream": BYTES, "application/pdf": BYTES}
PACK_RESPONSES = {
    200: {"description": "Cả tệp PDF", "content": PDF},
    206: {"description": "Một đoạn của tệp (tiêu đề Range)", "content": PDF},
    416: {"description": "Đoạn yêu cầu nằm ngoài tệp", "content": {"text/plain": BYTES}},
}


def _out(meeting: Meeting, plan: Plan, pack: Pack | None) -> dict[str, Any]:
    ready = pack is not None and pack.is_done
    return {
        "status": pack.status if pack is not None else "absent",
        "has_documents": bool(plan.entries),
        "personal": plan.reader is not None,
        "size": pack.size if ready and pack is not None else None,
        "pages": pack.pages if ready and pack is not None else None,
        "download_url": (
            site_url(reverse("api_v1:meeting_pack_download", args=[meeting.pk])) if ready else None
        ),
    }


@router.get(
    "/meetings/{meeting_id}/pack",
    response={200: PackOut, **errors(400, 401, 404)},
    auth=read_auth,
    url_name="meeting_pack",
    operation_id="getMeetingPack",
    summary="Tình trạng tài liệu họp trọn bộ",
)
def pack_state(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    """absent (not asked for), pending or running (being prepared), done (with its size, pages
    and download address) or failed, for the meeting's documents as they are now."""
    meeting = load_meeting(request, meeting_id, "packs.view_pack")
    plan, pack = current_pack(meeting, user_of(request))
    return _out(meeting, plan, pack)


@router.post(
    "/meetings/{meeting_id}/pack",
    response={202: PackOut, **errors(400, 401, 404, 409)},
    auth=read_auth,
    url_name="meeting_pack_prepare",
    operation_id="prepareMeetingPack",
    summary="Yêu cầu chuẩn bị tài liệu họp trọn bộ",
)
def pack_prepare(request: HttpRequest, meeting_id: Id) -> Status[dict[str, Any]]:
    """Queues the pack of the documents as they are now (nothing when it is ready or being
    prepared); poll GET …/pack until its status is done. Reading needs only a read token: asking
    for a pack changes nothing of the meeting."""
    meeting = load_meeting(request, meeting_id, "packs.view_pack")
    plan, pack = current_pack(meeting, user_of(request))
    if not plan.entries:
        raise ApiError(409, _("Cuộc họp chưa có tài liệu để ghép."), "no_documents")
    pack = services.pack_request(meeting=meeting, user=user_of(request), plan=plan)
    pack.refresh_from_db()
    return Status(202, _out(meeting, plan, pack))


@router.get(
    "/meetings/{meeting_id}/pack.pdf",
    response=errors(400, 401, 404, 409),
    openapi_extra={"responses": PACK_RESPONSES},
    auth=read_auth,
    url_name="meeting_pack_download",
    operation_id="downloadMeetingPack",
    summary="Tải tài liệu họp trọn bộ (PDF)",
)
def pack_download(request: HttpRequest, meeting_id: Id) -> HttpResponseBase:
    """The ready pack, whole or the single range asked for; 409 while it is not ready (ask for
    it with POST …/pack)."""
    meeting = load_meeting(request, meeting_id, "packs.view_pack")
    plan, pack = current_pack(meeting, user_of(request))
    if not plan.entries:
        raise ApiError(404, _("Cuộc họp chưa có tài liệu để ghép."), "not_found")
    if pack is None or not pack.is_done or pack.size is None:
        raise ApiError(
            409,
            _("Tài liệu họp trọn bộ chưa sẵn sàng; hãy yêu cầu chuẩn bị rồi thử lại sau."),
            "not_ready",
        )
    with storage_answers_503():
        response = file_response(
            request,
            storage=pack.file.storage,
            name=pack.file.name,
            size=pack.size,
            filename=pack_filename(meeting),
            content_type="application/pdf",
            etag=pack.key,
        )
    if is_first_chunk(request):
        api_audit(
            meeting,
            token=token_of(request),
            event="api_pack_downloaded",
            action=LogEntry.Action.ACCESS,
            pages=pack.pages,
        )
    return response
