"""Meetings: the token account's list, one meeting, its invitees, its calendar entry; and for
organisers, a new draft, more invitees and publishing (M1, M2, M4)."""

from datetime import timedelta
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from core.paging import read
from doctext.selectors import search_meetings
from meetings import selectors, services
from meetings.forms import MeetingCreateForm, MeetingSearchForm, PublishForm
from meetings.models import Meeting
from notifications import ics

from ..auth import read_auth, write_auth
from ..errors import form_errors, invalid, rule_error
from ..forms import InviteesForm
from ..services import api_audit
from .common import (
    errors,
    invitation_out,
    load_meeting,
    meeting_detail,
    meeting_summary,
    token_of,
    user_of,
)
from .schemas import (
    Id,
    InvitationOut,
    InviteesIn,
    MeetingFilters,
    MeetingIn,
    MeetingOut,
    MeetingPageOut,
    PublishIn,
)

router = Router(tags=["meetings"])

# The meeting list's filter names (its form's) as the API names them.
FILTER_NAMES = {"tu": "date_from", "den": "date_to", "trang_thai": "status"}
ICS_RESPONSE = {
    200: {
        "description": "iCalendar (RFC 5545)",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/meetings",
    response={200: MeetingPageOut, **errors(400, 401)},
    auth=read_auth,
    url_name="meeting_list",
    operation_id="listMeetings",
    summary="Cuộc họp của tài khoản",
)
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> dict[str, Any]:
    """The meetings the account may open, newest first: the signed-in meeting list's selector
    and search, a page at a time."""
    form = MeetingSearchForm(
        {
            "q": filters.q,
            "tu": filters.date_from.isoformat() if filters.date_from else "",
            "den": filters.date_to.isoformat() if filters.date_to else "",
            "trang_thai": filters.status or "",
        }
    )
    if not form.is_valid():
        raise invalid(
            {
                FILTER_NAMES.get(name, name): [str(m) for m in messages]
                for name, messages in form.errors.items()
            }
        )
    wanted = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    user = user_of(request)
    meetings = selectors.with_list_data(selectors.meetings_visible_to(user), user)
    found = search_meetings(meetings, wanted, user)
    rows = read(found, filters.offset, filters.limit + 1)
    more = len(rows) > filters.limit
    return {
        "items": [meeting_summary(m) for m in rows[: filters.limit]],
        "limit": filters.limit,
        "offset": filters.offset,
        "next_offset": filters.offset + filters.limit if more else None,
    }


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, **errors(400, 401, 404)},
    auth=read_auth,
    url_name="meeting_detail",
    operation_id="getMeeting",
    summary="Một cuộc họp",
)
def meeting_get(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    """Opening a meeting through the API is a receipt, as on its page (M7)."""
    meeting = load_meeting(request, meeting_id)
    user = user_of(request)
    if not selectors.is_organiser(user, meeting):
        services.receipt_record_view(meeting=meeting, user=user)
    return meeting_detail(meeting, user)


@router.get(
    "/meetings/{meeting_id}/invitees",
    response={200: list[InvitationOut], **errors(400, 401, 404)},
    auth=read_auth,
    url_name="meeting_invitees",
    operation_id="listInvitees",
    summary="Thành phần mời",
)
def invitee_list(request: HttpRequest, meeting_id: Id) -> list[dict[str, Any]]:
    meeting = load_meeting(request, meeting_id)
    invitations = meeting.invitations.select_related("unit", "committee", "person").order_by("id")
    return [invitation_out(i) for i in invitations]


@router.get(
    "/meetings/{meeting_id}/calendar.ics",
    response=errors(400, 401, 404),
    openapi_extra={"responses": ICS_RESPONSE},
    auth=read_auth,
    url_name="meeting_calendar",
    operation_id="getMeetingCalendar",
    summary="Lịch (.ics) của cuộc họp",
)
def meeting_calendar(request: HttpRequest, meeting_id: Id) -> HttpResponse:
    meeting = load_meeting(request, meeting_id)
    body = ics.feed([meeting], name=f"{settings.SITE_NAME} – {meeting.title}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="cuoc-hop-{meeting.pk}.ics"'
    response["Cache-Control"] = "private"
    return response


def _local_input(value: Any) -> str:
    """The meeting form reads the browser's local "YYYY-MM-DDTHH:MM"; an ISO moment with its
    offset is that moment in Vietnam's time, one without is Vietnam's time already."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return str(value.strftime("%Y-%m-%dT%H:%M"))


@router.post(
    "/meetings",
    response={201: MeetingOut, **errors(400, 401, 403)},
    auth=write_auth,
    url_name="meeting_create",
    operation_id="createMeeting",
    summary="Tạo dự thảo cuộc họp",
)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status[dict[str, Any]]:
    """A draft through the meeting page's form and service: the same checks, the same history.
    The same meeting sent twice within ten minutes (a retried request) is created once."""
    user = user_of(request)
    if not user.has_perm("meetings.add_meeting"):
        raise PermissionDenied
    data = payload.dict()
    data["start_at"] = _local_input(payload.start_at)
    data["end_at"] = _local_input(payload.end_at)
    form = MeetingCreateForm(data, user=user)
    if not form.is_valid():
        raise form_errors(form)
    values = form.meeting_data()
    meeting = (
        Meeting.objects.alive()
        .filter(
            created_by=user,
            title=values["title"],
            start_at=values["start_at"],
            created_at__gte=timezone.now() - timedelta(minutes=10),
        )
        .first()
    )
    if meeting is None:
        try:
            meeting = services.meeting_create(
                by=user,
                data={**values, "organiser_unit": user.unit},
                invitees=form.invitees(),
                agenda=form.agenda_as_text(),
            )
        except ValidationError as error:
            raise invalid(error.message_dict if hasattr(error, "error_dict") else {}) from error
        api_audit(
            meeting,
            token=token_of(request),
            event="api_meeting_created",
            action=LogEntry.Action.CREATE,
        )
    return Status(201, meeting_detail(meeting, user))


@router.post(
    "/meetings/{meeting_id}/invitees",
    response={200: list[InvitationOut], **errors(400, 401, 403, 404)},
    auth=write_auth,
    url_name="meeting_invite",
    operation_id="addInvitees",
    summary="Thêm thành phần mời",
)
def invitee_add(request: HttpRequest, meeting_id: Id, payload: InviteesIn) -> list[dict[str, Any]]:
    """Adds units, committees and persons (by id) to those already invited; each addition is
    recorded for the invitee it concerns, and after publishing they are notified (M4)."""
    meeting = load_meeting(request, meeting_id, "meetings.change_meeting")
    form = InviteesForm(payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    chosen = form.chosen()
    invitations = list(meeting.invitations.select_related("unit", "committee", "person"))
    current = {
        kind: [getattr(i, kind) for i in invitations if getattr(i, f"{kind}_id")]
        for kind in ("unit", "committee", "person")
    }
    added = sum(
        1
        for kind in ("unit", "committee", "person")
        for obj in chosen[f"{kind}s"]
        if obj not in current[kind]
    )
    if added:
        services.invitations_set(
            meeting=meeting,
            by=user_of(request),
            invitees=services.Invitees(
                units={*current["unit"], *chosen["units"]},
                committees={*current["committee"], *chosen["committees"]},
                persons={*current["person"], *chosen["persons"]},
            ),
        )
        api_audit(
            meeting,
            token=token_of(request),
            event="api_invitees_added",
            action=LogEntry.Action.UPDATE,
            added=added,
        )
    return invitee_list(request, meeting_id)


@router.post(
    "/meetings/{meeting_id}/publish",
    response={200: MeetingOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=write_auth,
    url_name="meeting_publish",
    operation_id="publishMeeting",
    summary="Phát hành cuộc họp",
)
def meeting_publish(request: HttpRequest, meeting_id: Id, payload: PublishIn) -> dict[str, Any]:
    """Draft to published, by the regulation's rules (M2): later than the meeting type's notice
    needs `late_reason` (422 without it); a meeting already published is a 409."""
    meeting = load_meeting(request, meeting_id, "meetings.change_meeting")
    form = PublishForm(payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    user = user_of(request)
    try:
        services.meeting_publish(
            meeting=meeting, by=user, late_reason=form.cleaned_data["late_reason"]
        )
    except ValidationError as error:
        raise rule_error(error, field="late_reason" if error.code == "late" else None) from error
    api_audit(
        meeting,
        token=token_of(request),
        event="api_meeting_published",
        action=LogEntry.Action.UPDATE,
    )
    return meeting_detail(meeting, user)
