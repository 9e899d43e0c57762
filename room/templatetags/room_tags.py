"""The meeting page's links into the room: the control page, asking to speak, the screen."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("room/_meeting_links.html", takes_context=True)
def room_links(context: dict[str, Any], meeting: Any, primary: str = "speak") -> dict[str, Any]:
    """`primary` names the link drawn as the page's main action ("run", "speak"), if either."""
    user = context["request"].user
    may_run = user.has_perm("room.run_meeting", meeting)
    return {
        "meeting": meeting,
        "may_run": may_run,
        "may_speak": not may_run and user.has_perm("room.request_floor", meeting),
        "primary": primary,
    }
