"""A closed vote's results as the office's document (B6): the PDF those who see the vote
download, and the one the archive (exports, D1, through meetings.archiving) files as PDF/A for
each closed vote of a meeting, numbered in the order they were opened."""

from collections.abc import Iterator, Sequence
from functools import partial

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exporting import write_pdf
from meetings.archiving import Record
from meetings.models import Meeting

from . import selectors
from .models import Vote


def results_pdf(vote: Vote, *, archival: bool = False) -> bytes:
    context = {
        "meeting": vote.meeting,
        "vote": vote,
        "result": selectors.result_for(vote),
        "named": selectors.named_list(vote),
        "today": timezone.localdate(),
    }
    return write_pdf(render_to_string("voting/export.html", context), archival=archival)


def archive_records(meetings: Sequence[Meeting], user: User) -> Iterator[Record]:
    by_id = {meeting.pk: meeting for meeting in meetings}
    votes = (
        Vote.objects.filter(meeting_id__in=by_id)
        .select_related("agenda_item")
        .order_by("meeting_id", "opened_at", "id")
    )
    numbers: dict[int, int] = {}
    for vote in votes:
        number = numbers[vote.meeting_id] = numbers.get(vote.meeting_id, 0) + 1
        vote.meeting = by_id[vote.meeting_id]
        if vote.is_open or not user.has_perm("voting.export_results", vote):
            continue
        question = " ".join(vote.question.split())
        yield Record(
            meeting_id=vote.meeting_id,
            name=f"{_('Kết quả biểu quyết')} {number} - {question}.pdf",
            kind=_("Kết quả biểu quyết"),
            dated=vote.closed_at,
            render=partial(results_pdf, vote, archival=True),
        )
