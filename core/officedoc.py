"""Word (.docx) files laid out as Decree 30/2020/NĐ-CP asks, for the documents the product issues
(minutes, conclusion notices): A4 with the decree's margins, Times New Roman, and the two-column
header.

The header is a table of fixed widths (6 cm and 10.5 cm of the 16.5 cm between the margins):
left, the governing body, the issuing unit in bold with a short rule below it and the number;
right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in 12 pt bold and the underlined motto in 13 pt bold,
each of which fits its column on one line, then the place and date in italics. Word and
LibreOffice widen a column that is left to "autofit", which breaks these lines: the widths are
written on the grid, on each cell and with autofit off."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

REPUBLIC_PT = 12
MOTTO_PT = 13
LEFT_CM = 6.0
RIGHT_CM = 10.5


def republic() -> str:
    return _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def motto() -> str:
    return _("Độc lập - Tự do - Hạnh phúc")


def place_date(place: str, day: date | None) -> str:
    """ "Tây Ninh, ngày 09 tháng 12 năm 2026"; without a day, the blanks the signer fills in."""
    if day is None:
        text = _("ngày      tháng      năm %d") % timezone.localdate().year
    else:
        text = _("ngày %(d)02d tháng %(m)02d năm %(y)d") % {
            "d": day.day,
            "m": day.month,
            "y": day.year,
        }
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def new_document() -> Any:
    import docx as python_docx
    from docx.shared import Cm, Pt

    document = python_docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    return document


def paragraph(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    center: bool = True,
    justify: bool = False,
    size: float | None = None,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para = container.add_paragraph()
    if justify:
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_after = Pt(0)
    run = para.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return para


def short_rule(container: Any, length_cm: float, within_cm: float | None = None) -> Any:
    """A centred horizontal line `length_cm` long in a cell (or the page, 16.5 cm wide): an empty
    paragraph's top border, indented from both sides."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    width = within_cm or (container.width.cm if getattr(container, "width", None) else 16.5)
    para = container.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    side = max((width - length_cm) / 2 - 0.2, 0)
    para.paragraph_format.left_indent = para.paragraph_format.right_indent = Cm(side)
    para.paragraph_format.space_before = Pt(3)
    para.paragraph_format.space_after = Pt(2)
    para.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    attributes = (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000"))
    for name, value in attributes:
        top.set(qn(name), value)
    borders.append(top)
    para._p.get_or_add_pPr().append(borders)
    return para


def body_paragraph(container: Any, text: str) -> Any:
    """A paragraph of the text: justified, its first line indented, 6 pt after."""
    from docx.shared import Cm, Pt

    para = paragraph(container, text, justify=True)
    para.paragraph_format.first_line_indent = Cm(1.27)
    para.paragraph_format.space_after = Pt(6)
    return para


def fixed_table(document: Any, widths_cm: list[float]) -> Any:
    """A borderless one-row table whose columns keep `widths_cm`."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for cell, width in zip(table.rows[0].cells, widths_cm, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].text = ""
    return table


def _drop_first_empty(cell: Any) -> None:
    # A new cell holds one empty paragraph; the first line of the header must not sit below it.
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._p.getparent().remove(first._p)


def letterhead(
    document: Any, *, governing_body: str, unit_name: str, number_line: str, place_date: str
) -> Any:
    """The decree's header: the bodies and the number left, the emblem lines and the date right."""
    table = fixed_table(document, [LEFT_CM, RIGHT_CM])
    left, right = table.rows[0].cells
    if governing_body:
        paragraph(left, governing_body, size=13)
    paragraph(left, unit_name, bold=True, size=13)
    short_rule(left, 2.2)
    paragraph(left, number_line, size=13)
    paragraph(right, republic(), bold=True, size=REPUBLIC_PT)
    paragraph(right, motto(), bold=True, underline=True, size=MOTTO_PT)
    para = paragraph(right, place_date, italic=True)
    from docx.shared import Pt

    para.paragraph_format.space_before = Pt(6)
    _drop_first_empty(left)
    _drop_first_empty(right)
    return table


def to_bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
