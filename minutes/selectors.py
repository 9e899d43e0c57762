"""Reads for the minutes pages, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import QuerySet

from meetings.models import Meeting
from signatures.selectors import signed_pdf as find_signed_pdf

from .models import Minutes, MinutesEvent, MinutesVersion

HISTORY_LIMIT = 50


def minutes_of(meeting: Meeting) -> Minutes | None:
    return (
        Minutes.objects.select_related("approved_version", "approved_by")
        .filter(meeting=meeting)
        .first()
    )


def versions_of(minutes: Minutes) -> QuerySet[MinutesVersion]:
    """The list of versions, newest first, without their text."""
    return (
        minutes.versions.select_related("by")
        .only("id", "minutes_id", "number", "generated", "at", "by__full_name", "by__username")
        .order_by("-number")
    )


def latest_version(minutes: Minutes) -> MinutesVersion | None:
    return minutes.versions.select_related("by").order_by("-number").first()


def history_of(minutes: Minutes) -> list[MinutesEvent]:
    return list(minutes.events.select_related("by").order_by("-at", "-id")[:HISTORY_LIMIT])


@dataclass
class Signed:
    """The signed PDF of the approved minutes, when the signatures app has one."""

    pdf: bytes
    name: str


def signed_pdf(minutes: Minutes) -> Signed | None:
    """The signed PDF of the approved version (signatures app), else None. A signature made
    before the latest approval signed an earlier version: it is not the published minutes."""
    record = find_signed_pdf(minutes)
    if record is None or minutes.approved_at is None or record.signed_at < minutes.approved_at:
        return None
    with record.file.open("rb") as handle:
        return Signed(pdf=handle.read(), name=f"{record.title[:80]}.pdf")
