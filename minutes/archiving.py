"""The minutes in a meeting's archive (D1, meetings.archiving): the approved version as PDF/A and,
when the approver signed it (B14), the signed PDF exactly as signed. A draft is not a record."""

from collections.abc import Iterator, Sequence
from functools import partial

from django.utils.translation import gettext as _

from accounts.models import User
from meetings.archiving import Record, Stored
from meetings.models import Meeting
from signatures.selectors import signed_pdfs

from . import exporting
from .models import Minutes


def _approved_pdf(minutes: Minutes) -> bytes:
    assert minutes.approved_version is not None
    return exporting.pdf(minutes, minutes.approved_version, archival=True)


def archive_records(meetings: Sequence[Meeting], user: User) -> Iterator[Record]:
    by_id = {meeting.pk: meeting for meeting in meetings}
    approved = list(
        Minutes.objects.filter(meeting_id__in=by_id, approved_version__isnull=False)
        .select_related("approved_version")
        .order_by("meeting_id")
    )
    signed = signed_pdfs(Minutes, [minutes.pk for minutes in approved])
    for minutes in approved:
        minutes.meeting = by_id[minutes.meeting_id]
        if not user.has_perm("minutes.view_published", minutes):
            continue
        name = f"{_('Biên bản')} {minutes.number}" if minutes.number else _("Biên bản họp")
        yield Record(
            meeting_id=minutes.meeting_id,
            name=f"{name}.pdf",
            kind=_("Biên bản họp đã phê duyệt"),
            dated=minutes.approved_at,
            render=partial(_approved_pdf, minutes),
        )
        record = signed.get(minutes.pk)
        # A signature made before the latest approval signed an earlier version.
        if record is None or minutes.approved_at is None or record.signed_at < minutes.approved_at:
            continue
        yield Record(
            meeting_id=minutes.meeting_id,
            name=f"{name} - {_('bản ký số')}.pdf",
            kind=_("Biên bản họp – bản ký số (bản gốc)"),
            dated=record.signed_at,
            stored=Stored(storage=record.file.storage, name=record.file.name, size=record.size),
        )
