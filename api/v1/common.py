"""Loading objects for the API exactly as the pages do: seeing is the rule's, a hidden object is
a 404, a visible one the account may not change is a 403 (the apps' rules.py)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import user_of
from accounts.models import User
from core.shortcuts import get_object_for
from documents.models import Document
from documents.selectors import meeting_documents
from documents.storage import StorageUnavailable
from meetings import selectors as meeting_selectors
from meetings import services as meeting_services
from meetings.models import Invitation, Meeting
from notifications.ics import site_url

from ..errors import ApiError, ErrorOut
from ..models import AccessToken


def errors(*codes: int) -> dict[int, Any]:
    """The error answers an operation documents; every one may be refused by a limit (429,
    core.limits)."""
    return dict.fromkeys((*codes, 429), ErrorOut)


@contextmanager
def storage_answers_503() -> Iterator[None]:
    """A download whose storage does not answer: 503 in the API's error shape with Retry-After,
    so that a client waits and tries again (nothing is recorded as downloaded)."""
    try:
        yield
    except StorageUnavailable:
        raise ApiError(
            503,
            _("Kho lưu trữ tài liệu tạm thời không trả lời; vui lòng thử lại sau."),
            "storage_unavailable",
            headers={"Retry-After": "60"},
        ) from None


def token_of(request: HttpRequest) -> AccessToken:
    return request.auth  # type: ignore[attr-defined]


def load_meeting(request: HttpRequest, pk: int, perm: str = "meetings.view_meeting") -> Meeting:
    """As the pages: seen (else 404), then the action's rule (else 403)."""
    return meeting_selectors.meeting_for(user_of(request), pk, perm)


def load_document(request: HttpRequest, pk: int) -> Document:
    """As documents.views._document: a document inherits its meeting's protection."""
    return get_object_for(
        request.user,
        "documents.view_document",
        Document.objects.select_related("meeting", "current", "type", "field"),
        pk=pk,
        meeting__deleted_at__isnull=True,
    )


def _local(moment: Any) -> Any:
    return timezone.localtime(moment) if moment is not None else None


def meeting_summary(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "status": meeting.status,
        "phase": meeting.phase,
        "phase_label": meeting.get_phase_display(),
        "start_at": _local(meeting.start_at),
        "end_at": _local(meeting.end_at),
        "location": str(meeting.location) if meeting.location_id else None,
        "organiser_unit": str(meeting.organiser_unit),
        "type": str(meeting.type),
        "form": str(meeting.form),
        "chair": str(meeting.chair) if meeting.chair_id else None,
        "is_public": meeting.is_public,
        "seen": bool(getattr(meeting, "seen", False)),
        "url": site_url(reverse("meetings:detail", args=[meeting.pk])),
    }


def meeting_detail(meeting: Meeting, user: User) -> dict[str, Any]:
    organiser = meeting_selectors.is_organiser(user, meeting)
    return {
        **meeting_summary(meeting),
        "seen": True,  # opening it through the API counts as opening it (a receipt)
        "agenda": meeting.agenda,
        "agenda_items": agenda_items_out(meeting, user),
        "field": str(meeting.field) if meeting.field_id else None,
        "online_link": meeting.online_link,
        "secretary": str(meeting.secretary) if meeting.secretary_id else None,
        "published_at": _local(meeting.published_at),
        "late_reason": meeting.late_reason,
        "status_reason": meeting.status_reason,
        "revision": meeting.revision,
        "notice_deadline": _local(meeting_services.notice_deadline(meeting)),
        "organiser": organiser,
    }


def agenda_items_out(meeting: Meeting, user: User) -> list[dict[str, Any]]:
    """The items in order, each with the documents attached to it (those not deleted, and of
    the restricted ones those the user may read: documents.selectors)."""
    items = list(meeting.agenda_items.order_by("position", "id"))
    attached: dict[int, list[int]] = {}
    documents = (
        meeting_documents(user, meeting)
        .filter(agenda_item__isnull=False)
        .order_by("order", "id")
        .values_list("agenda_item_id", "pk")
    )
    if items:
        for item_id, pk in documents:
            attached.setdefault(item_id, []).append(pk)
    return [
        {
            "id": item.pk,
            "position": number,
            "title": item.title,
            "presenter": item.presenter,
            "planned_minutes": item.planned_minutes,
            "document_ids": attached.get(item.pk, []),
        }
        for number, item in enumerate(items, start=1)
    ]


def invitation_out(invitation: Invitation) -> dict[str, Any]:
    kind = invitation.kind
    return {
        "id": invitation.pk,
        "kind": kind,
        "invitee_id": getattr(invitation, f"{kind}_id"),
        "name": str(invitation.invitee),
        "note": invitation.note,
    }


def document_out(document: Document) -> dict[str, Any]:
    version = document.current
    assert version is not None
    return {
        "id": document.pk,
        "meeting_id": document.meeting_id,
        "title": document.title,
        "number": document.number,
        "type": str(document.type) if document.type_id else None,
        "field": str(document.field) if document.field_id else None,
        "issuer": document.issuer,
        "issued_on": document.issued_on,
        "order": document.order,
        "agenda_item_id": document.agenda_item_id,
        "version": version.number,
        "file_name": version.original_name,
        "content_type": version.content_type,
        "size": version.size,
        "sha256": version.sha256,
        "uploaded_at": _local(version.uploaded_at),
        "download_url": site_url(reverse("api_v1:document_download", args=[document.pk])),
        "restricted": document.restricted,
        "downloadable": document.downloadable,
    }
