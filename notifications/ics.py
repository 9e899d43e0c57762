"""iCalendar (RFC 5545) for meetings: the invitation attached to each e-mail (METHOD:REQUEST or
CANCEL) and the calendar feeds (B1). Built with the icalendar library.

One meeting is one VEVENT whose UID never changes; SEQUENCE is the meeting's revision, which every
saved change raises, so calendar programs replace the older copy."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


def site_url(path: str = "") -> str:
    return settings.SITE_URL.rstrip("/") + path


def meeting_uid(meeting_id: int) -> str:
    return f"meeting-{meeting_id}@{settings.ICAL_DOMAIN}"


def snapshot(meeting: Meeting) -> dict[str, Any]:
    """What an invitation says about the meeting at one moment; kept with the notification so that
    a message sent later still describes the meeting as it was when it was queued."""
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "agenda": meeting.agenda,
        "start_at": meeting.start_at.isoformat(),
        "end_at": meeting.end_at.isoformat(),
        "location": str(meeting.location) if meeting.location_id else "",
        "online_link": meeting.online_link,
        "organiser": str(meeting.organiser_unit),
        "chair": str(meeting.chair) if meeting.chair_id else "",
        "status": meeting.status,
        "status_reason": meeting.status_reason,
        "revision": meeting.revision,
    }


def event_from_snapshot(
    data: dict[str, Any],
    *,
    public: bool = False,
    cancelled: bool = False,
    attendee: tuple[str, str] | None = None,
    stamp: datetime | None = None,
) -> Event:
    """One VEVENT. `public` leaves out what the public schedule does not show (the agenda and the
    online link); nothing about documents is ever in a calendar."""
    event = Event()
    event.add("uid", meeting_uid(data["id"]))
    event.add("sequence", int(data["revision"]))
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    event.add("dtstart", datetime.fromisoformat(data["start_at"]).astimezone(UTC))
    event.add("dtend", datetime.fromisoformat(data["end_at"]).astimezone(UTC))
    event.add("summary", data["title"])
    if data.get("location"):
        event.add("location", data["location"])
    url = site_url(
        reverse("meetings:public_detail" if public else "meetings:detail", args=[data["id"]])
    )
    event.add("url", url)
    lines = []
    if data.get("organiser"):
        lines.append(f"Đơn vị tổ chức: {data['organiser']}")
    if data.get("chair"):
        lines.append(f"Chủ trì: {data['chair']}")
    if data.get("online_link") and not public:
        lines.append(f"Họp trực tuyến: {data['online_link']}")
    if data.get("agenda") and not public:
        lines.append(data["agenda"])
    if (
        data.get("status_reason")
        and data.get("status") in {"postponed", "cancelled"}
        and not public
    ):
        lines.append(f"Lý do: {data['status_reason']}")
    lines.append(url)
    event.add("description", "\n".join(lines))
    status = data.get("status")
    if cancelled or status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    elif status == Meeting.Status.POSTPONED:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    organiser = vCalAddress(f"mailto:{settings.ICAL_ORGANISER_EMAIL}")
    organiser.params["cn"] = vText(data.get("organiser") or settings.SITE_NAME)
    event.add("organizer", organiser)
    if attendee:
        email, name = attendee
        who = vCalAddress(f"mailto:{email}")
        if name:
            who.params["cn"] = vText(name)
        who.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", who)
    return event


def calendar(events: Iterable[Event], *, method: str | None = None, name: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//hopkhonggiay//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(event)
    return bytes(cal.to_ical())


def invitation(
    data: dict[str, Any], *, method: str, attendee: tuple[str, str] | None = None
) -> bytes:
    """The .ics attached to one e-mail."""
    return calendar(
        [event_from_snapshot(data, cancelled=method == CANCEL, attendee=attendee)], method=method
    )


def feed(meetings: Iterable[Meeting], *, name: str, public: bool = False) -> bytes:
    """A subscribable calendar (METHOD:PUBLISH) of these meetings."""
    now = timezone.now()
    return calendar(
        [event_from_snapshot(snapshot(m), public=public, stamp=now) for m in meetings],
        method=PUBLISH,
        name=name,
    )
