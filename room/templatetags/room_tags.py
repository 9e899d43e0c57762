"""The meeting page's links into the room (the control page, asking to speak, the screen) and
the banner of calls (a vote to cast, the floor given) on the meeting page and the dashboard."""

from datetime import timedelta
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from room import selectors
from room.calls import kept_calls

register = template.Library()


@register.inclusion_tag("room/_meeting_links.html")
def room_links(
    meeting: Any, *, may_run: bool, may_speak: bool, primary: str = "speak"
) -> dict[str, Any]:
    """The room's links of the meeting page: `may_run` and `may_speak` as its view asked the
    rules (room.run_meeting, room.request_floor) for its primary action; `primary` names the
    link drawn as the page's main action ("run", "speak"), if either."""
    return {"meeting": meeting, "may_run": may_run, "may_speak": may_speak, "primary": primary}


# Before its start and after its end, a meeting is still polled this long for calls: a vote
# opened early, a turn given late.
CALLS_MARGIN = timedelta(hours=1)
CALLS_POLL_SECONDS = 5


@register.inclusion_tag("room/_calls_box.html", takes_context=True)
def room_calls(context: dict[str, Any], meeting: Meeting | None = None) -> dict[str, Any]:
    """The banner that leads to a ballot or says the floor is given: `{% room_calls meeting %}`
    on the meeting page, `{% room_calls %}` on the dashboard (every meeting). It polls (an empty
    304 while nothing changed) only around a meeting's hours, or while it shows a call."""
    request = context["request"]
    user = request.user
    # Kept under the tag of what the banner watches, as its poll answers (room.calls).
    written, has_calls = kept_calls(request, meeting)
    now = timezone.now()
    if meeting is not None:
        polls = selectors.meets_window(meeting, since=now - CALLS_MARGIN, until=now + CALLS_MARGIN)
        url = reverse("room:calls", args=[meeting.pk])
    else:
        # Around this minute: the same window, and the same kept query, for a minute's requests.
        minute = now.replace(second=0, microsecond=0)
        polls = selectors.has_meeting_within(
            user, now, since=minute - CALLS_MARGIN, until=minute + CALLS_MARGIN
        )
        url = reverse("room:my_calls")
    return {
        "calls_html": written,
        "one_meeting": meeting,
        "url": url,
        "polls": polls or has_calls,
        "poll_seconds": CALLS_POLL_SECONDS,
    }
