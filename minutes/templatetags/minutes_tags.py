"""The meeting page's link to its minutes (B7)."""

from typing import Any

from django import template

from minutes.selectors import minutes_state

register = template.Library()


@register.inclusion_tag("minutes/_meeting_link.html", takes_context=True)
def minutes_link(context: dict[str, Any], meeting: Any, primary: bool = False) -> dict[str, Any]:
    """For the drafters and the approver always; for the other invitees once approved. `primary`:
    drawn as the page's main action after the meeting."""
    user = context["request"].user
    if not user.has_perm("minutes.view_minutes", meeting):
        return {"show": False}
    minutes = minutes_state(meeting)
    drafts = user.has_perm("minutes.draft_minutes", meeting)
    published = minutes is not None and minutes.approved_version_id is not None
    return {
        "show": drafts or published,
        "meeting": meeting,
        "minutes": minutes,
        "published": published,
        "primary": primary,
    }
