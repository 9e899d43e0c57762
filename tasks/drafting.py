"""What a new conclusion notice starts from (B12): what the meeting already knows, so that the
office corrects a text rather than types it.

The date is today's; "Kết luận của" and the signer are the chair (position, then name, as
offices write it); the place is the approved minutes' (else the MINUTES_PLACE setting); the text
opens with the meeting's time, place and chair and goes on with the conclusions of the approved
minutes. A draft of the minutes is not copied: only what the chair approved is a conclusion.
Written in the site's language (the record's, not the reader's)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.dates import office_time
from meetings.models import Meeting
from minutes.selectors import minutes_of

from . import selectors

# Titles that already name the gathering: "Hội nghị ...", "Phiên họp ..." are written as they are.
GATHERINGS = ("cuộc họp", "phiên họp", "hội nghị", "hội thảo", "buổi làm việc")


def _chair_title(meeting: Meeting) -> str:
    chair = meeting.chair
    if chair is None:
        return ""
    return f"{chair.position} {chair.full_name}" if chair.position else chair.full_name


def meeting_phrase(meeting: Meeting) -> str:
    """The meeting as a sentence names it after "chủ trì" or "tại": "cuộc họp kiểm điểm tiến
    độ giải ngân" for the title "Họp kiểm điểm tiến độ giải ngân", never "cuộc họp Họp ..."."""
    title = meeting.title.strip()
    folded = title.casefold()
    if folded.startswith(GATHERINGS):
        return title[:1].lower() + title[1:]
    if folded.startswith("họp "):
        title = title[4:].lstrip()
    return _("cuộc họp %s") % title


def opening(meeting: Meeting) -> str:
    """ "Vào hồi 08 giờ 00, thứ Tư, ngày 09/12/2026, tại ..., ... chủ trì ... kết luận như sau:" """
    when = office_time(meeting.start_at)
    where = meeting.location.name if meeting.location is not None else ""
    at = (
        _("Vào hồi %(time)s, tại %(place)s") % {"time": when, "place": where}
        if where
        else (_("Vào hồi %(time)s") % {"time": when})
    )
    chair = _chair_title(meeting)
    if chair:
        return _(
            "%(at)s, %(chair)s chủ trì %(meeting)s. Sau khi nghe báo cáo và ý kiến của các "
            "thành phần dự họp, %(chair)s kết luận như sau:"
        ) % {"at": at, "chair": chair, "meeting": meeting_phrase(meeting)}
    return _("%(at)s, %(meeting)s đã diễn ra. Cuộc họp kết luận như sau:") % {
        "at": at,
        "meeting": meeting_phrase(meeting),
    }


def notice_initial(meeting: Meeting) -> dict[str, Any]:
    """The form's starting values for a new notice of `meeting`."""
    minutes = minutes_of(meeting)
    approved = minutes.approved_version if minutes is not None else None
    chair = meeting.chair
    with override(settings.LANGUAGE_CODE):
        body = opening(meeting)
        if approved is not None and approved.conclusions.strip():
            body += "\n\n" + approved.conclusions.strip()
    return {
        "issued_on": selectors.today(),
        "place": (minutes.place if minutes is not None else "") or settings.MINUTES_PLACE,
        "concluded_by": _chair_title(meeting),
        "signer_name": chair.full_name if chair is not None else "",
        "signer_title": chair.position if chair is not None else "",
        "body": body,
    }
