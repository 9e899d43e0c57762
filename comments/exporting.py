"""The comments and their summary as the office's document (C1, M8): the PDF the chair and who
takes the roll download, and the one the archive (exports, D1, through meetings.archiving) files
as PDF/A for each meeting that has comments or a summary."""

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exporting import write_pdf
from meetings.archiving import Record
from meetings.models import Meeting

from .models import Comment, Summary


def comments_of(meeting: Meeting) -> list[Comment]:
    return list(
        Comment.objects.filter(meeting=meeting)
        .select_related("author", "unit", "document")
        .order_by("id")
    )


def export_context(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "comments": comments_of(meeting),
        "summary": Summary.objects.filter(meeting=meeting).first(),
        "today": timezone.localdate(),
    }


def summary_pdf(meeting: Meeting, *, archival: bool = False) -> bytes:
    html = render_to_string("comments/export.html", export_context(meeting))
    return write_pdf(html, archival=archival)


def archive_records(meetings: Sequence[Meeting], user: User) -> Iterator[Record]:
    """The summary of each meeting with comments or a summary whose comments the requester may
    export, dated by the last of them."""
    ids = [meeting.pk for meeting in meetings]
    last = dict(
        Comment.objects.filter(meeting_id__in=ids)
        .values("meeting_id")
        .annotate(last=Max("created_at"))
        .values_list("meeting_id", "last")
    )
    for meeting_id, updated in Summary.objects.filter(meeting_id__in=ids).values_list(
        "meeting_id", "updated_at"
    ):
        last[meeting_id] = max(updated, last.get(meeting_id) or updated)
    for meeting in meetings:
        if meeting.pk in last and user.has_perm("comments.export_comments", meeting):
            yield Record(
                meeting_id=meeting.pk,
                name=_("Tổng hợp ý kiến góp ý") + ".pdf",
                kind=_("Tổng hợp ý kiến góp ý"),
                dated=last[meeting.pk],
                render=partial(summary_pdf, meeting, archival=True),
            )
