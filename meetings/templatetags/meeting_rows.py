"""The rows of a meeting list (meetings/_rows.html) and of the meeting page's invitees, each
rendered from its plain values through the process's memo of fragments (core.fragments)."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from core.fragments import fragments
from meetings.models import Invitation, Meeting
from meetings.selectors import Invitee

register = template.Library()


def row_values(meeting: Meeting, now: Any, show_unread: bool, q: str) -> dict[str, Any]:
    """Everything a row shows, and nothing else: the row's template sees only these."""
    phase = meeting.phase_at(now)
    unit = meeting.organiser_unit
    match = getattr(meeting, "document_match", None)
    return {
        "pk": meeting.pk,
        "title": meeting.title,
        "start_at": meeting.start_at,
        "end_at": meeting.end_at,
        "location": meeting.location.name if meeting.location_id else "",  # type: ignore[union-attr]
        "online": bool(meeting.online_link),
        "organiser": unit.short_name or unit.name,
        "phase": phase,
        "phase_label": str(Meeting.Phase(phase).label),
        # A list made without the reader's receipts (`seen`) shows every row as new, as before.
        "unread": bool(show_unread and not getattr(meeting, "seen", False)),
        "match_document": match.document_id if match else None,
        "match_title": match.title if match else "",
        "match_snippet": match.snippet if match else "",
        "q": q if match else "",
    }


@register.simple_tag
def meeting_rows(
    meetings: Iterable[Meeting], show_unread: Any = False, q: Any = ""
) -> list[SafeString]:
    now = timezone.now()
    unread = bool(show_unread)
    words = q if isinstance(q, str) else ""
    return fragments("meetings/_row.html", [row_values(m, now, unread, words) for m in meetings])


@register.simple_tag
def invitee_rows(invitees: Iterable[Invitee]) -> list[SafeString]:
    """The meeting page's invitees (meetings.selectors.invitees_listed), a row each."""
    labels = {kind: str(label) for kind, label in Invitation.KIND_LABELS.items()}
    return fragments(
        "meetings/_invitee.html",
        [{"kind": labels[i.kind], "name": i.name, "note": i.note} for i in invitees],
    )
