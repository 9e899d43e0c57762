"""The meeting pack's pages: its state (a fragment the meeting page loads), asking for it, and
its download. Load -> check access (packs.view_pack, as the meeting's documents) -> act."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from documents.storage import answers_503_when_storage_down
from documents.streaming import file_response
from meetings.shortcuts import meeting_for

from . import services
from .models import Pack
from .plan import Plan
from .selectors import current_pack, pack_filename


def _state(
    request: AuthenticatedHttpRequest, plan: Plan, pack: Pack | None, status: int = 200
) -> HttpResponse:
    fragment = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "packs/_state.html" if fragment else "packs/state.html",
        {"meeting": plan.meeting, "plan": plan, "pack": pack, "has_documents": bool(plan.entries)},
        status=status,
    )


@require_GET
@login_required
def pack_state(request: AuthenticatedHttpRequest, meeting_pk: int) -> HttpResponse:
    """Ready (with its size and pages), being prepared (polled), or not asked for yet."""
    meeting = meeting_for(request, meeting_pk, "packs.view_pack")
    plan, pack = current_pack(meeting, request.user)
    return _state(request, plan, pack)


@require_POST
@login_required
def pack_prepare(request: AuthenticatedHttpRequest, meeting_pk: int) -> HttpResponseBase:
    """Asks the worker for the reader's pack of the documents as they are now."""
    meeting = meeting_for(request, meeting_pk, "packs.view_pack")
    plan, pack = current_pack(meeting, request.user)
    if plan.entries:
        pack = services.pack_request(meeting=meeting, user=request.user, plan=plan)
        pack.refresh_from_db()  # the worker may have finished it already (a synchronous queue)
    if request.headers.get("HX-Request") == "true" or not plan.entries:
        return _state(request, plan, pack, status=200 if plan.entries else 409)
    return redirect("packs:state", meeting_pk=meeting.pk)


@require_GET
@login_required
@answers_503_when_storage_down
def pack_download(request: AuthenticatedHttpRequest, meeting_pk: int) -> HttpResponseBase:
    """The ready pack of the documents as they are now, whole or the range asked for; while it
    is not ready, its state (409) with the button that asks for it."""
    meeting = meeting_for(request, meeting_pk, "packs.view_pack")
    plan, pack = current_pack(meeting, request.user)
    if not plan.entries:
        raise Http404
    if pack is None or not pack.is_done or pack.size is None:
        return _state(request, plan, pack, status=409)
    return file_response(
        request,
        storage=pack.file.storage,
        name=pack.file.name,
        size=pack.size,
        filename=pack_filename(meeting),
        content_type="application/pdf",
        etag=pack.key,
    )
