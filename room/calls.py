"""The banner of calls (a vote to cast, the floor given) as the meeting page and the dashboard
show it, kept in Django's cache under the tag of what it watches.

The banner's poll (room.views.calls) already names the versions its content depends on
(meetings.polling.watch_calls: the account's own, its calls, the votes of its meetings), which
the services bump whenever that content may change, at once and again after commit
(core.polling). The pages that show the banner ask the same versions: under an unchanged tag the
banner is the one rendered before, read from the cache, not asked again of the votes, the roll,
the ballots and the floor (four to five queries, when a vote is open in one of the account's
meetings). A version bumped gives another tag, so a changed banner is rendered afresh; the tag is
read before the banner is, so a change committed in between is at worst rendered under the older
tag and shown again under the newer one. An entry also goes after KEPT_SECONDS, as the poll's
reader is checked again after a minute (core.polling.GRANT_SECONDS)."""

import logging

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from accounts.http import AuthenticatedHttpRequest
from core.polling import GRANT_SECONDS, Watch, etag_for
from meetings import polling as polls
from meetings.models import Meeting

from . import selectors

logger = logging.getLogger(__name__)

KEPT = "room:calls:"
KEPT_SECONDS = GRANT_SECONDS


def calls_watch(request: AuthenticatedHttpRequest, meeting: Meeting | None) -> Watch:
    """The account's calls (its ballots, its roll, the floor given to it) and the votes opened
    and closed in the meeting, or on the dashboard in the meetings around their hours."""
    if meeting is None:
        return polls.watch_calls(request, selectors.calls_meetings(request.user))
    return polls.watch_calls(request, [meeting.pk], part="one", also=["meeting"])


def render_calls(
    request: AuthenticatedHttpRequest, meeting: Meeting | None
) -> tuple[SafeString, bool]:
    """The banner's content (room/_calls.html) and whether it shows a call, asked now."""
    found = selectors.calls_for(request.user, meeting)  # type: ignore[arg-type]
    written = render_to_string("room/_calls.html", {"calls": found, "one_meeting": meeting})
    return written, bool(found)


def kept_calls(
    request: AuthenticatedHttpRequest, meeting: Meeting | None
) -> tuple[SafeString, bool]:
    """render_calls, from the cache while what it watches is unchanged."""
    key = KEPT + etag_for(calls_watch(request, meeting))
    try:
        kept = cache.get(key)
    except Exception:  # the cache is down: the banner is asked every time meanwhile
        logger.warning("kept calls not read", exc_info=True)
        kept = None
    if isinstance(kept, tuple) and len(kept) == 2:
        # Written by render_calls from our own template, as escaped as it was rendered.
        return mark_safe(str(kept[0])), bool(kept[1])  # noqa: S308
    written = render_calls(request, meeting)
    try:
        cache.set(key, written, KEPT_SECONDS)
    except Exception:
        logger.warning("kept calls not written", exc_info=True)
    return written
