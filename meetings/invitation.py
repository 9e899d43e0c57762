"""The invitation (giấy mời, P4) as an administrative document (Decree 30/2020/NĐ-CP): the
printed page, the PDF and the Word file.

One `Layout` feeds the three, so that they cannot disagree: the governing body above the
organiser unit (a short rule below it) and the number on the left; "CỘNG HÒA XÃ HỘI CHỦ NGHĨA
VIỆT NAM" and the underlined motto on the right, each on one line of A4, then the place and date;
"GIẤY MỜI" with the meeting's title; the invitees (a person with their unit); the time as offices
write it ("08 giờ 00, thứ Tư, ngày 09/12/2026"), the place, the agenda; the signature block.
Written in the reader's language: nothing of it is stored."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.letterhead import document_symbol, governing_body, invitee_with_unit
from core import officedoc
from core.dates import office_time
from core.exporting import write_pdf

from . import selectors
from .archiving import Record
from .models import Meeting

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Layout:
    governing_body: str
    unit_name: str
    number_line: str
    place_date: str
    republic: str
    motto: str
    title: str
    subject: str
    inviter: str
    invitees: list[str]
    purpose: str
    when: str
    where: str
    agenda: list[str] = field(default_factory=list)
    agenda_text: str = ""
    closing: str = ""
    signer_title: str = ""
    signer_note: str = ""
    # "CUỘC HỌP ĐÃ HUỶ: <reason>" on a cancelled meeting's invitation, else "".
    stamp: str = ""


def _chair(meeting: Meeting) -> str:
    chair = meeting.chair
    if chair is None:
        return ""
    return f"{chair.position} {chair.full_name}" if chair.position else chair.full_name


def _where(meeting: Meeting) -> str:
    parts = []
    if meeting.location is not None:
        place = meeting.location.name
        if meeting.location.address:
            place += f", {meeting.location.address}"
        parts.append(place)
    if meeting.online_link:
        parts.append(_("trực tuyến:") + " " + meeting.online_link)
    return "; ".join(parts)


def _agenda_line(item: Any) -> str:
    notes = []
    if item.presenter:
        notes.append(_("trình bày: %(presenter)s") % {"presenter": item.presenter})
    if item.planned_minutes:
        notes.append(
            ngettext("%(minutes)s phút", "%(minutes)s phút", item.planned_minutes)
            % {"minutes": item.planned_minutes}
        )
    title = item.title.strip().rstrip(".;")
    return title + (f" ({', '.join(notes)})" if notes else "")


def layout(meeting: Meeting, invitations: Any) -> Layout:
    """`invitations`: the meeting's invitations with their unit, committee and person (and the
    person's unit) loaded, in the order to list them."""
    unit = meeting.organiser_unit
    chair = _chair(meeting)
    purpose = _("Dự cuộc họp:") + " " + meeting.title
    if chair:
        purpose += ", " + _("do %(chair)s chủ trì") % {"chair": chair}
    invitees = []
    for invitation in invitations:
        line = invitee_with_unit(invitation.invitee)
        if invitation.note:
            line += f" ({invitation.note})"
        invitees.append(line)
    return Layout(
        governing_body=governing_body(unit).upper(),
        unit_name=unit.name.upper(),
        number_line=_("Số:      /GM-%s") % document_symbol(unit),
        place_date=officedoc.place_date(settings.MINUTES_PLACE, timezone.localdate()),
        republic=officedoc.republic(),
        motto=officedoc.motto(),
        title=_("GIẤY MỜI"),
        subject=meeting.title,
        inviter=f"{unit.name} {_('trân trọng kính mời:')}",
        invitees=invitees,
        purpose=purpose + ".",
        when=office_time(meeting.start_at),
        where=_where(meeting),
        agenda=[_agenda_line(item) for item in selectors.agenda_items(meeting)],
        agenda_text=meeting.agenda.strip(),
        closing=_(
            "Tài liệu cuộc họp được đăng tải trên hệ thống %(site)s; đề nghị các thành phần "
            "mời đăng nhập để nghiên cứu trước."
        )
        % {"site": settings.SITE_NAME},
        signer_title=_("TL. CHỦ TỊCH"),
        signer_note=_("(Ký số)"),
        stamp=(
            f"{_('CUỘC HỌP ĐÃ HUỶ')}: {meeting.status_reason}"
            if meeting.status == Meeting.Status.CANCELLED
            else ""
        ),
    )


def file_name(meeting: Meeting, ext: str) -> str:
    return f"giay-moi-{slugify(meeting.title, allow_unicode=True)[:60] or 'cuoc-hop'}.{ext}"


def pdf(doc: Layout, *, archival: bool = False) -> bytes:
    """The PDF; PDF/A for the archive (exports)."""
    html = render_to_string("meetings/invitation_pdf.html", {"doc": doc})
    return write_pdf(html, archival=archival)


def _archived_pdf(meeting: Meeting) -> bytes:
    invitations = meeting.invitations.select_related("unit", "committee", "person__unit")
    return pdf(layout(meeting, invitations.order_by("id")), archival=True)


def archive_records(meetings: Sequence[Meeting], user: Any) -> Iterator[Record]:
    """The invitation of each meeting in an archive (meetings.archiving): the archive holds only
    meetings its requester sees, and whoever sees a meeting reads its invitation."""
    for meeting in meetings:
        yield Record(
            meeting_id=meeting.pk,
            name=_("Giấy mời") + ".pdf",
            kind=_("Giấy mời họp"),
            dated=meeting.published_at,
            render=partial(_archived_pdf, meeting),
        )


def docx(doc: Layout) -> bytes:
    document = officedoc.new_document()
    para = officedoc.paragraph
    officedoc.letterhead(
        document,
        governing_body=doc.governing_body,
        unit_name=doc.unit_name,
        number_line=doc.number_line,
        place_date=doc.place_date,
    )
    para(document, "")
    para(document, doc.title, bold=True)
    para(document, doc.subject, bold=True)
    officedoc.short_rule(document, 4)
    officedoc.body_paragraph(document, doc.inviter)
    for line in doc.invitees:
        officedoc.body_paragraph(document, f"- {line};")
    officedoc.body_paragraph(document, doc.purpose)
    officedoc.body_paragraph(document, _("Thời gian:") + " " + doc.when + ".")
    if doc.where:
        officedoc.body_paragraph(document, _("Địa điểm:") + " " + doc.where + ".")
    if doc.agenda or doc.agenda_text:
        officedoc.body_paragraph(document, _("Nội dung:"))
        for n, line in enumerate(doc.agenda, start=1):
            officedoc.body_paragraph(document, f"{n}. {line};")
        if not doc.agenda:
            for line in doc.agenda_text.splitlines():
                if line.strip():
                    officedoc.body_paragraph(document, line.strip())
    officedoc.body_paragraph(document, doc.closing)
    if doc.stamp:
        para(document, doc.stamp, bold=True)
    para(document, "")
    foot = officedoc.fixed_table(document, [8.25, 8.25])
    right = foot.rows[0].cells[1]
    para(right, doc.signer_title, bold=True)
    para(right, doc.signer_note, italic=True, size=12)
    return officedoc.to_bytes(document)
