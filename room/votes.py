"""The votes on the room's screen come from the voting app (voting.selectors.screen_vote,
screen_version, screen_context and its template voting/_screen.html); until that app provides
them, the screen shows no vote."""

from typing import Any

from meetings.models import Meeting


def _selectors() -> Any:
    try:
        from voting import selectors
    except ImportError:
        return None
    return selectors if hasattr(selectors, "screen_context") else None


def version(meeting: Meeting) -> str:
    selectors = _selectors()
    return str(selectors.screen_version(meeting)) if selectors is not None else "-"


def context(meeting: Meeting) -> dict[str, Any]:
    """The template to include and its context, or an empty dict when no vote is to be shown."""
    selectors = _selectors()
    if selectors is None or selectors.screen_vote(meeting) is None:
        return {}
    return {"vote_template": "voting/_screen.html", **selectors.screen_context(meeting)}


def links(meeting: Meeting) -> dict[str, Any]:
    """Where the control page links for the votes, once the voting app has its pages."""
    from django.urls import NoReverseMatch, reverse

    for name in ("voting:list", "voting:manage", "voting:index"):
        try:
            return {"votes_url": reverse(name, args=[meeting.pk])}
        except NoReverseMatch:
            continue
    return {}
