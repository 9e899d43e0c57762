"""Attendance pieces shown on the meetings' pages (B5, B9), so those pages ask no more than
`{% online_join meeting %}`, `{% check_in_code_link meeting %}` and
`{% invitation_check_in_qr meeting invitation %}`."""

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from attendance import check_in as codes
from meetings.models import Invitation, Meeting

register = template.Library()


def join_opens_at(meeting: Meeting) -> datetime:
    minutes = int(getattr(settings, "ONLINE_JOIN_MINUTES_BEFORE", 15))
    return meeting.start_at - timedelta(minutes=minutes)


def join_state(meeting: Meeting, now: datetime | None = None) -> str:
    """ "open" from ONLINE_JOIN_MINUTES_BEFORE before the start until the end, "soon" before
    that, "" after the end or without a link."""
    if not meeting.online_link:
        return ""
    now = now or timezone.now()
    if now < join_opens_at(meeting):
        return "soon"
    return "open" if now <= meeting.end_at else ""


@register.inclusion_tag("attendance/_online_join.html", takes_context=True)
def online_join(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = user is not None and user.has_perm("attendance.join_online", meeting)
    return {
        "meeting": meeting,
        "state": join_state(meeting) if allowed else "",
        "opens_at": join_opens_at(meeting),
    }


def _may_show_codes(context: template.Context, meeting: Meeting) -> bool:
    """Asked once per page, however many invitations print a code."""
    key = f"attendance.view_check_in_code:{meeting.pk}"
    if key not in context.render_context:
        user = getattr(context.get("request"), "user", None)
        context.render_context[key] = user is not None and user.has_perm(
            "attendance.view_check_in_code", meeting
        )
    return bool(context.render_context[key])


@register.simple_tag(takes_context=True)
def check_in_code_link(context: template.Context, meeting: Meeting) -> SafeString:
    if not _may_show_codes(context, meeting):
        return mark_safe("")
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    return format_html(
        '<a class="btn btn-outline-primary" href="{}"><i class="bi bi-qr-code" aria-hidden="true">'
        "</i> {}</a>",
        reverse("attendance:check_in_code", args=[meeting.pk]),
        _("Mã QR điểm danh"),
    )


@register.simple_tag(takes_context=True)
def invitation_check_in_qr(
    context: template.Context, meeting: Meeting, invitation: Invitation
) -> SafeString:
    """The invitation's own check-in code, for its printed invitation."""
    request = context.get("request")
    if request is None or not _may_show_codes(context, meeting):
        return mark_safe("")
    token = codes.make_token(meeting, invitation)
    url = request.build_absolute_uri(reverse("attendance:check_in", args=[meeting.pk, token]))
    return mark_safe(codes.qr_svg(url, scale=3))  # noqa: S308 - segno's own SVG, no user text
