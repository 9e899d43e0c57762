"""QR self check-in at the door (B5): the signed code and the window in which it is accepted.

A code is a `django.core.signing` token under its own salt, so that no other signed value of the
product (a password reset, a calendar link) can pass for one. It names the meeting, and for the
code printed on an invitation the invitation, and carries its expiry: the meeting's end when the
code was made. Whatever the code says, it is accepted only in the meeting's window, read from the
meeting as it is now: from CHECK_IN_MINUTES_BEFORE (default 30) minutes before the start to the
end, so a meeting moved after printing is not checked in at the old hour.

A code only opens the page; the check-in itself needs the signed-in account of the invitee.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import segno
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Invitation, Meeting

SALT = "attendance.check_in"


def minutes_before() -> int:
    return int(getattr(settings, "CHECK_IN_MINUTES_BEFORE", 30))


def opens_at(meeting: Meeting) -> datetime:
    return meeting.start_at - timedelta(minutes=minutes_before())


def make_token(meeting: Meeting, invitation: Invitation | None = None) -> str:
    payload = {"m": meeting.pk, "e": int(meeting.end_at.timestamp())}
    if invitation is not None:
        payload["i"] = invitation.pk
    return signing.dumps(payload, salt=SALT, compress=True)


@dataclass
class Code:
    meeting_id: int
    invitation_id: int | None


class Refused(Exception):
    """A code that cannot check anybody in; the message says why, the status how to answer."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def read_token(token: str, meeting: Meeting, now: datetime | None = None) -> Code:
    """The code's meeting and invitation, or Refused with a message for the person scanning."""
    now = now or timezone.now()
    try:
        payload = signing.loads(token, salt=SALT)
        meeting_id, expires = int(payload["m"]), int(payload["e"])
        invitation_id = int(payload["i"]) if "i" in payload else None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Refused(
            _("Mã QR không hợp lệ (bị sửa hoặc không do hệ thống tạo). Hãy quét lại mã in sẵn."),
            400,
        ) from None
    if meeting_id != meeting.pk:
        raise Refused(_("Mã QR này thuộc một cuộc họp khác."), 400)
    if meeting.status == Meeting.Status.DRAFT or meeting.deleted_at is not None:
        raise Refused(_("Cuộc họp chưa phát hành: chưa điểm danh được."), 403)
    if meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.POSTPONED}:
        raise Refused(_("Cuộc họp đã bị huỷ hoặc hoãn: không điểm danh."), 403)
    if now.timestamp() > expires:
        raise Refused(_("Mã QR đã hết hạn: cuộc họp đã kết thúc."), 410)
    if now < opens_at(meeting):
        raise Refused(
            _("Chưa đến giờ điểm danh: mở từ %(at)s.")
            % {"at": timezone.localtime(opens_at(meeting)).strftime("%H:%M %d/%m/%Y")},
            403,
        )
    if now > meeting.end_at:
        raise Refused(_("Cuộc họp đã kết thúc: hết giờ điểm danh."), 403)
    return Code(meeting_id=meeting_id, invitation_id=invitation_id)


def qr_svg(url: str, scale: int = 4) -> str:
    """The address as an inline SVG QR code, drawn on the server (no script on the page)."""
    return str(
        segno.make(url, error="m").svg_inline(
            scale=scale, border=2, dark="#000", light="#fff", omitsize=False
        )
    )
