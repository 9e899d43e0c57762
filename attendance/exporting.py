"""The chair's report (M8) and the roll as PDF: who was invited, who viewed and downloaded what,
whom each named, and each one's mark at the roll. The chair downloads it before the meeting; the
archive (exports, D1, through meetings.archiving) files it, as PDF/A, as the meeting's roll."""

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
from notifications.receipts import receipt_table

from . import selectors
from .models import Presence


def chair_report_context(meeting: Meeting) -> dict[str, Any]:
    rows, documents = receipt_table(meeting)
    attendance = {i.pk: i for i in selectors.invitations_with_attendance(meeting)}
    table = [
        (
            row,
            attendance[row.invitation.pk],
            [row.downloads.get(d.pk) for d in documents],
            selectors.roll_entries(attendance[row.invitation.pk]),
        )
        for row in rows
    ]
    return {
        "meeting": meeting,
        "documents": documents,
        "table": table,
        "figures": selectors.figures_for(list(attendance.values())),
        "viewed": sum(1 for row in rows if row.viewed_at),
        "today": timezone.localdate(),
    }


def chair_report_pdf(meeting: Meeting, *, archival: bool = False) -> bytes:
    """The chair's report; as the archive's roll (PDF/A) with the roll's own heading."""
    context = chair_report_context(meeting)
    if archival:
        context["heading"] = _("ĐIỂM DANH THÀNH PHẦN DỰ HỌP")
    html = render_to_string("attendance/chair_report_print.html", context)
    return write_pdf(html, archival=archival)


def archive_records(meetings: Sequence[Meeting], user: User) -> Iterator[Record]:
    """The roll of each meeting whose chair's report the requester may read (who takes the roll,
    the chair), dated by its last mark."""
    marked = dict(
        Presence.objects.filter(invitation__meeting_id__in=[m.pk for m in meetings])
        .values("invitation__meeting_id")
        .annotate(last=Max("marked_at"))
        .values_list("invitation__meeting_id", "last")
    )
    for meeting in meetings:
        if user.has_perm("meetings.view_chair_report", meeting):
            yield Record(
                meeting_id=meeting.pk,
                name=_("Điểm danh thành phần dự họp") + ".pdf",
                kind=_("Điểm danh thành phần dự họp"),
                dated=marked.get(meeting.pk) or meeting.end_at,
                render=partial(chair_report_pdf, meeting, archival=True),
            )
