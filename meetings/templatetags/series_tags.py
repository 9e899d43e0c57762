"""The meeting page's part about its series: the rule in words and the series' other dates."""

from typing import Any

from django import template

from meetings import selectors
from meetings.models import Meeting
from meetings.recurrence import describe

register = template.Library()


@register.inclusion_tag("meetings/_series.html", takes_context=True)
def series_box(context: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """One query, however long the series (meetings.selectors.series_meetings)."""
    meetings = selectors.series_meetings(context["user"], meeting)
    rule = describe(meetings[0].series.rule) if meetings and meetings[0].series else ""
    may_publish = any(m.is_draft for m in meetings) and context["user"].has_perm(
        "meetings.change_meeting", meeting
    )
    return {
        "meeting": meeting,
        "series_meetings": meetings,
        "rule": rule,
        "may_publish": may_publish,
    }


@register.inclusion_tag("meetings/_series_actions.html", takes_context=True)
def series_actions(context: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """Sao chép and Lặp lại, for whoever their rules allow."""
    user = context["user"]
    return {
        "meeting": meeting,
        "may_copy": user.has_perm("meetings.copy_meeting", meeting),
        "may_repeat": meeting.series_id is None
        and user.has_perm("meetings.repeat_meeting", meeting),
    }
