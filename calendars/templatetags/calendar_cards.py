"""A meeting of the week calendar (calendars/_meeting.html), rendered from its plain values through
the process's memo of fragments (core.fragments), as the meeting lists' rows are."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from core.fragments import fragment
from meetings.models import Meeting

register = template.Library()

# The phases a card names beside its hours; a published meeting's card names none, so that its
# fragment stays the same from before its start to after its end.
NAMED = {Meeting.Phase.POSTPONED, Meeting.Phase.CANCELLED, Meeting.Phase.DRAFT}


def card_values(meeting: Meeting) -> dict[str, Any]:
    """Everything a card shows, and nothing else: the card's template sees only these."""
    named = meeting.status if meeting.status in NAMED else ""
    chair = meeting.chair
    return {
        "pk": meeting.pk,
        "title": meeting.title,
        "start_at": meeting.start_at,
        "end_at": meeting.end_at,
        "phase": str(named),
        "phase_label": str(Meeting.Phase(named).label) if named else "",
        "location": meeting.location.name if meeting.location_id else "",  # type: ignore[union-attr]
        "organiser": meeting.organiser_unit.short_name or meeting.organiser_unit.name,
        "chair": chair.full_name if chair is not None else "",
    }


@register.simple_tag
def calendar_card(meeting: Meeting) -> SafeString:
    return fragment("calendars/_meeting.html", **card_values(meeting))
