"""The minutes as an administrative document (Decree 30/2020/NĐ-CP): Word (.docx) and PDF.

One `Layout` feeds both, so that the two cannot disagree: the issuing body on the left (its
governing body above it, a short rule below), the national emblem lines on the right
("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and "Độc lập - Tự do - Hạnh phúc" each on one line of A4,
the motto underlined), the number and symbol, the place and date, "BIÊN BẢN" with its trích yếu,
the sections, the secretary's and the chair's signature blocks and "Nơi nhận".

The header's widths and sizes are chosen so that the two emblem lines fit their column in Times
New Roman (or its metric twin Liberation Serif) on A4 with the decree's margins."""

from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.letterhead import governing_body
from core import officedoc
from core.exporting import write_pdf
from core.text import cut_at_word

from .models import Minutes, MinutesVersion
from .services import unit_symbol

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Layout:
    parent_name: str
    unit_name: str
    number_line: str
    place_date: str
    subject: str
    sections: list[tuple[str, list[str]]]
    secretary_name: str
    chair_name: str
    recipients: list[str]
    is_draft: bool
    version: int
    republic: str = ""
    motto: str = ""
    title: str = ""
    extra: dict = field(default_factory=dict)


def place_date(place: str, day: date) -> str:
    text = _("ngày %(d)02d tháng %(m)02d năm %(y)d") % {"d": day.day, "m": day.month, "y": day.year}
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()] or [""]


def layout(minutes: Minutes, version: MinutesVersion) -> Layout:
    meeting = minutes.meeting
    unit = meeting.organiser_unit
    approved = minutes.approved_version_id == version.pk
    day = timezone.localdate(minutes.approved_at) if approved and minutes.approved_at else None
    number = minutes.number if approved else ""
    symbol = f"/BB-{unit_symbol(unit)}"
    secretary = meeting.secretary
    return Layout(
        republic=officedoc.republic(),
        motto=officedoc.motto(),
        title=_("BIÊN BẢN"),
        parent_name=governing_body(unit).upper(),
        unit_name=unit.name.upper(),
        number_line=_("Số: %s") % (number or f"     {symbol}"),
        place_date=place_date(minutes.place, day)
        if day
        else (f"{minutes.place}, " if minutes.place else "")
        + _("ngày      tháng      năm %d") % timezone.localdate().year,
        subject=version.subject,
        sections=[
            (_("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN"), _lines(version.attendance)),
            (_("II. NỘI DUNG CUỘC HỌP"), _lines(version.proceedings)),
            (_("III. KẾT LUẬN"), _lines(version.conclusions or "")),
        ],
        secretary_name=(secretary.get_full_name() or secretary.username) if secretary else "",
        chair_name=meeting.chair.full_name if meeting.chair else "",
        recipients=_lines(version.recipients),
        is_draft=not approved,
        version=version.number,
    )


# The title's part of a file name: long enough to tell the meeting, short enough for a phone.
NAME_LIMIT = 60


def file_name(minutes: Minutes, version: MinutesVersion, ext: str) -> str:
    base = cut_at_word(slugify(minutes.meeting.title, allow_unicode=True), NAME_LIMIT) or "cuoc-hop"
    suffix = "" if minutes.approved_version_id == version.pk else f"-du-thao-v{version.number}"
    return f"bien-ban-{base}{suffix}.{ext}"


def pdf(minutes: Minutes, version: MinutesVersion, *, archival: bool = False) -> bytes:
    """The PDF; PDF/A for the archive (exports)."""
    html = render_to_string("minutes/document.html", {"doc": layout(minutes, version)})
    return write_pdf(html, archival=archival)


def docx(minutes: Minutes, version: MinutesVersion) -> bytes:
    doc = layout(minutes, version)
    document = officedoc.new_document()
    para = officedoc.paragraph
    officedoc.letterhead(
        document,
        governing_body=doc.parent_name,
        unit_name=doc.unit_name,
        number_line=doc.number_line,
        place_date=doc.place_date,
    )
    if doc.is_draft:
        para(document, _("DỰ THẢO (phiên bản %d)") % doc.version, bold=True, size=12)
    para(document, "")
    para(document, doc.title, bold=True)
    para(document, doc.subject, bold=True)
    para(document, "")
    for heading, lines in doc.sections:
        para(document, heading, bold=True, center=False)
        for line in lines:
            para(document, line, justify=True)
    para(document, "")
    signs = officedoc.fixed_table(document, [8.25, 8.25])
    for cell, role, name in (
        (signs.rows[0].cells[0], _("THƯ KÝ"), doc.secretary_name),
        (signs.rows[0].cells[1], _("CHỦ TRÌ"), doc.chair_name),
    ):
        para(cell, role, bold=True)
        para(cell, _("(Ký, ghi rõ họ tên)"), italic=True, size=12)
        for _i in range(3):
            para(cell, "")
        para(cell, name, bold=True)
    para(document, "")
    para(document, _("Nơi nhận:"), bold=True, italic=True, center=False, size=12)
    for line in doc.recipients:
        para(document, line, center=False, size=11)
    return officedoc.to_bytes(document)
