"""Excel workbooks (openpyxl) and PDF files (WeasyPrint) of the reports."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .tables import Link, Rate, Table, text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What an archive keeps (exports, D1): PDF/A-2b, fonts embedded, colours and metadata described
# inside the file. Part 2 rather than 3: an archive's PDF carries no other file within it.
ARCHIVAL_PDF = "pdf/a-2b"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LIMIT = 31  # Excel refuses a longer name


def cell_value(value: Any) -> tuple[Any, str | None]:
    """A value as Excel stores it, and its number format."""
    if isinstance(value, Rate):
        return value.value, "0.0%"
    if isinstance(value, Link):
        value = value.text
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None), "DD/MM/YYYY HH:MM"
    if isinstance(value, date):
        return value, "DD/MM/YYYY"
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value), None
    return value, None


def write_row(sheet: Worksheet, row: int, values: Iterable[Any], **style: Any) -> None:
    for column, value in enumerate(values, start=1):
        stored, number_format = cell_value(value)
        cell = sheet.cell(row=row, column=column, value=stored)
        # Text that starts with "=" is text, not a formula to run when the file is opened.
        if cell.data_type == "f":
            cell.data_type = "s"
        if number_format:
            cell.number_format = number_format
        cell.border = BORDER
        cell.alignment = Alignment(vertical="top", wrap_text=isinstance(stored, str))
        for name, setting in style.items():
            setattr(cell, name, setting)


def shortened(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut after the last whole word that fits (a single word
    longer than the limit is cut: it has no boundary), without the cut's trailing separators."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    boundary = cut.rfind(" ")
    kept = cut[:boundary] if boundary > 0 else text[:limit]
    return kept.rstrip(" ,;:–-") or text[:limit]


def sheet_title(title: str, used: set[str]) -> str:
    """A workbook's sheet name: Excel allows 31 characters without []:*?/\\ and compares names
    without case, so `title` is shortened at a word boundary and numbered when taken."""
    name = shortened(SHEET_NAME_FORBIDDEN.sub(" ", title), SHEET_NAME_LIMIT) or _("Trang tính")
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = f"{shortened(name, SHEET_NAME_LIMIT - len(suffix))}{suffix}", n + 1
    used.add(candidate.lower())
    return candidate


def filter_line(
    start: date | None = None, end: date | None = None, chosen: Iterable[tuple[str, Any]] = ()
) -> str:
    """The line under an export's title that says which filters made it: "Từ 01/07/2026 đến
    31/12/2026; đơn vị: Sở Tài chính". `chosen` holds (label, value) pairs in the form's order."""
    shown = {
        key: formats.date_format(day, "SHORT_DATE_FORMAT")
        for key, day in (("start", start), ("end", end))
        if day is not None
    }
    parts = []
    if start and end:
        parts.append(_("từ %(start)s đến %(end)s") % shown)
    elif start:
        parts.append(_("từ %(start)s") % shown)
    elif end:
        parts.append(_("đến %(end)s") % shown)
    for label, value in chosen:
        label = str(label)
        parts.append(f"{label[:1].lower()}{label[1:]}: {text(value)}")
    line = "; ".join(parts)
    return line[:1].upper() + line[1:]


def column_widths(table: Table) -> list[int]:
    """Each column as wide as its longest text (of the first 500 rows), within 10 and 60."""
    widths = []
    for column, name in enumerate(table.columns):
        longest = max(
            [len(str(name))] + [len(str(cell_value(r[column])[0] or "")) for r in table.rows[:500]]
        )
        widths.append(min(max(longest + 2, 10), 60))
    return widths


def write_line(sheet: Worksheet, row: int, value: str, font: Font, widths: list[int]) -> None:
    """A line of text across the table's columns (a title, the filters, a note), wrapped within
    them: a merged cell neither spills into the next column nor, printed, runs past the last one,
    and Excel does not fit a merged row's height to its text, so the row gets the lines the text
    needs (a column's width counts characters of an 11 pt font)."""
    stored, _format = cell_value(value)
    cell = sheet.cell(row=row, column=1, value=stored)
    if cell.data_type == "f":
        cell.data_type = "s"
    cell.font = font
    cell.alignment = Alignment(vertical="top", wrap_text=True)
    if len(widths) > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    size = float(font.size or 11)
    per_line = max(int(sum(widths) * 0.9 * 11 / size), 1)
    lines = max(math.ceil(len(str(stored or "")) / per_line), 1)
    sheet.row_dimensions[row].height = round(lines * size * 1.35 + 3, 1)


def _sheet(sheet: Worksheet, title: str, subtitle: str, table: Table) -> None:
    widths = column_widths(table)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    write_line(sheet, 1, title, Font(bold=True, size=14), widths)
    write_line(sheet, 2, subtitle, Font(italic=True), widths)
    write_line(sheet, 3, table.title, Font(bold=True), widths)
    write_row(sheet, 4, table.columns, font=HEADER_FONT, fill=HEADER_FILL)
    for cell in sheet[4]:
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row = 5
    for values in table.rows:
        write_row(sheet, row, values)
        row += 1
    if table.total:
        write_row(sheet, row, table.total, font=Font(bold=True))
        row += 1
    if not table.rows and table.empty:
        write_line(sheet, row, table.empty, Font(), widths)
        row += 1
    if table.note:
        write_line(sheet, row + 1, table.note, Font(italic=True), widths)
    sheet.freeze_panes = "A5"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "4:4"


def workbook(title: str, subtitle: str, tables: list[Table]) -> bytes:
    """One sheet per table, named by the table's short name: the report's title, the line under
    it (which filters made it: filter_line), the table's own title, a coloured header, bordered
    cells, Vietnamese text as typed, dates as dates and rates as percentages."""
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    used: set[str] = set()
    for table in tables:
        _sheet(
            book.create_sheet(sheet_title(table.sheet or table.title, used)), title, subtitle, table
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def xlsx_response(title: str, subtitle: str, tables: list[Table], filename: str) -> HttpResponse:
    return attachment(workbook(title, subtitle, tables), XLSX, filename)


def write_pdf(html: str, *, archival: bool = False, base_url: str | None = None) -> bytes:
    """The PDF of a page rendered by WeasyPrint; PDF/A (ARCHIVAL_PDF) when it is to be filed."""
    # WeasyPrint needs Pango from the system; loaded here so that the rest runs without it.
    from weasyprint import HTML

    options = {"pdf_variant": ARCHIVAL_PDF} if archival else {}
    return bytes(HTML(string=html, base_url=base_url).write_pdf(**options))


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(template, {**context, "for_pdf": True}, request=request)
    # The template carries its own styles: nothing is fetched over the network while rendering.
    pdf = HTML(string=html).write_pdf()
    return attachment(pdf, "application/pdf", filename)
