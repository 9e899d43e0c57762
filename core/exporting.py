"""Excel workbooks (openpyxl) and PDF files (WeasyPrint) of the reports."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .tables import Link, Rate, Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What an archive keeps (exports, D1): PDF/A-2b, fonts embedded, colours and metadata described
# inside the file. Part 2 rather than 3: an archive's PDF carries no other file within it.
ARCHIVAL_PDF = "pdf/a-2b"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


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


def sheet_title(title: str, used: set[str]) -> str:
    name = SHEET_NAME_FORBIDDEN.sub(" ", title)[:28].strip() or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate, n = f"{name[:25]} {n}", n + 1
    used.add(candidate.lower())
    return candidate


def workbook(title: str, subtitle: str, tables: list[Table]) -> bytes:
    """One sheet per table: the report's title and period, a coloured header, bordered cells,
    Vietnamese text as typed, dates as dates and rates as percentages."""
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(sheet_title(table.title, used))
        width = len(table.columns)
        sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
        sheet.cell(row=2, column=1, value=f"{table.title} – {subtitle}").font = Font(italic=True)
        if width > 1:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
            sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
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
            sheet.cell(row=row, column=1, value=table.empty)
            row += 1
        if table.note:
            sheet.cell(row=row + 1, column=1, value=table.note).font = Font(italic=True)
        for column in range(1, width + 1):
            longest = max(
                [len(str(table.columns[column - 1]))]
                + [len(str(cell_value(r[column - 1])[0] or "")) for r in table.rows[:500]]
            )
            sheet.column_dimensions[get_column_letter(column)].width = min(max(longest + 2, 10), 60)
        sheet.freeze_panes = "A5"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "4:4"
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
