"""The votes in the room come from the voting app: its part of the room's screen
(voting.selectors.screen_context and voting/_screen.html) and its pages for the control page's
links. The screen's ETag follows the votes' versions in the cache (meetings.polling)."""

from typing import Any

from django.urls import reverse

from meetings.models import Meeting
from voting import selectors


def context(meeting: Meeting) -> dict[str, Any]:
    """The template to include and its context, or nothing when no vote is to be shown."""
    shown = selectors.screen_context(meeting)
    if shown.get("vote") is None:
        return {}
    return {"vote_template": "voting/_screen.html", **shown}


def links(meeting: Meeting) -> dict[str, Any]:
    return {
        "votes_url": reverse("voting:list", args=[meeting.pk]),
        "vote_create_url": reverse("voting:create", args=[meeting.pk]),
    }
