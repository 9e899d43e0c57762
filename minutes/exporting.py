"""The minutes as an administrative document (Decree 30/2020/NĐ-CP): Word (.docx) and PDF.

One `Layout` feeds both, so that the two cannot disagree: the issuing body on the left (its
parent above it), the national emblem lines on the right ("Độc lập - Tự do - Hạnh phúc"
underlined), the number and symbol, the place and date, "BIÊN BẢN" with its trích yếu, the
sections, the secretary's and the chair's signature blocks and "Nơi nhận"."""

import io
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

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
        republic=_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        motto=_("Độc lập - Tự do - Hạnh phúc"),
        title=_("BIÊN BẢN"),
        parent_name=(unit.parent.name.upper() if unit.parent_id and unit.parent else ""),
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


def file_name(minutes: Minutes, version: MinutesVersion, ext: str) -> str:
    base = slugify(minutes.meeting.title, allow_unicode=True)[:60] or "cuoc-hop"
    suffix = "" if minutes.approved_version_id == version.pk else f"-du-thao-v{version.number}"
    return f"bien-ban-{base}{suffix}.{ext}"


def pdf(minutes: Minutes, version: MinutesVersion) -> bytes:
    # WeasyPrint needs Pango from the system; loaded here so that the rest runs without it.
    from weasyprint import HTML

    html = render_to_string("minutes/document.html", {"doc": layout(minutes, version)})
    return HTML(string=html).write_pdf()


def docx(minutes: Minutes, version: MinutesVersion) -> bytes:
    import docx as python_docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = layout(minutes, version)
    document = python_docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)

    def para(
        cell_or_doc,
        text: str,
        *,
        bold=False,
        italic=False,
        underline=False,
        center=True,
        size: float | None = None,
    ):
        paragraph = cell_or_doc.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
        return paragraph

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    for cell in (left, right):
        cell.paragraphs[0].text = ""
    if doc.parent_name:
        para(left, doc.parent_name, size=13)
    para(left, doc.unit_name, bold=True, size=13)
    para(left, doc.number_line, size=13)
    para(right, doc.republic, bold=True, size=13)
    para(right, doc.motto, bold=True, underline=True)
    para(right, doc.place_date, italic=True)
    if doc.is_draft:
        para(document, _("DỰ THẢO (phiên bản %d)") % doc.version, bold=True, size=12)
    para(document, "")
    para(document, doc.title, bold=True)
    para(document, doc.subject, bold=True)
    para(document, "")
    for heading, lines in doc.sections:
        para(document, heading, bold=True, center=False)
        for line in lines:
            paragraph = para(document, line, center=False)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    para(document, "")
    signs = document.add_table(rows=1, cols=2)
    for cell, role, name in (
        (signs.rows[0].cells[0], _("THƯ KÝ"), doc.secretary_name),
        (signs.rows[0].cells[1], _("CHỦ TRÌ"), doc.chair_name),
    ):
        cell.paragraphs[0].text = ""
        para(cell, role, bold=True)
        para(cell, _("(Ký, ghi rõ họ tên)"), italic=True, size=12)
        for _i in range(3):
            para(cell, "")
        para(cell, name, bold=True)
    para(document, "")
    para(document, _("Nơi nhận:"), bold=True, italic=True, center=False, size=12)
    for line in doc.recipients:
        para(document, line, center=False, size=11)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
