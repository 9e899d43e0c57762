"""The token's own account and its calendar (B1)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router

from calendars.selectors import feed_meetings
from notifications import ics

from ..auth import read_auth
from .common import errors, token_of, user_of
from .meetings import ICS_RESPONSE
from .schemas import AccountOut

router = Router(tags=["account"])


@router.get(
    "/me",
    response={200: AccountOut, **errors(401)},
    auth=read_auth,
    url_name="me",
    operation_id="getAccount",
    summary="Tài khoản của mã truy cập",
)
def me(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    token = token_of(request)
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": user.role,
        "unit": str(user.unit) if user.unit_id else None,
        "token_name": token.name,
        "token_prefix": token.prefix,
        "scope": token.scope,
        "expires_at": token.expires_at,
    }


@router.get(
    "/calendar.ics",
    response=errors(401),
    openapi_extra={"responses": ICS_RESPONSE},
    auth=read_auth,
    url_name="calendar",
    operation_id="getAccountCalendar",
    summary="Lịch (.ics) của tài khoản",
)
def calendar(request: HttpRequest) -> HttpResponse:
    """The account's meetings as its calendar feed has them: never drafts, from 90 days back."""
    user = user_of(request)
    name = f"{settings.SITE_NAME} – {user.get_full_name()}"
    response = HttpResponse(
        ics.feed(feed_meetings(user), name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="lich-hop.ics"'
    response["Cache-Control"] = "private"
    return response
