"""The archive's index (D1), the last files of its ZIP: muc-luc.xlsx (the request, one row per
meeting, one per file) and muc-luc.csv (the files alone, for tools that do not read Excel). Each
file's row gives its kind, its date, its size and the SHA-256 of the bytes in the ZIP, taken as
they passed (exports.archive), so an archivist can check every file against it."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

if TYPE_CHECKING:
    from .archive import Archive

INDEX_NAME = "muc-luc.xlsx"
CSV_NAME = "muc-luc.csv"


def local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def day_text(dated: datetime | date | None) -> str:
    """A file's date as the index shows it: local time for a moment, the day for a day."""
    if isinstance(dated, datetime):
        return local(dated)
    return f"{dated:%d/%m/%Y}" if dated else ""


def _cell_value(value: Any) -> Any:
    """Text stays text: no formula, no character Excel refuses."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _sheet(
    workbook: Workbook, title: str, header: list[str], rows: list[list[Any]], widths: list[int]
) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell_value(v) for v in row])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            # A title starting with "=" is a title, not a formula to run when the file is opened.
            if cell.data_type == "f":
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGH", widths, strict=False):
        sheet.column_dimensions[column].width = width


def _files_header() -> list[str]:
    return [
        _("Mã cuộc họp"),
        _("Đường dẫn trong tệp nén"),
        _("Loại"),
        _("Ngày"),
        _("Dung lượng (byte)"),
        _("SHA-256"),
    ]


def _file_rows(archive: Archive) -> list[list[Any]]:
    return [
        [f.meeting_id, f.arcname, f.kind, day_text(f.dated), f.size, f.sha256]
        for f in archive.files
    ]


def index_workbook(archive: Archive) -> bytes:
    export = archive.export
    workbook = Workbook()
    info = workbook.active
    assert info is not None
    info.title = _("Thông tin")
    for label, value in [
        (_("Đề nghị kết xuất số"), export.pk),
        (_("Người đề nghị"), export.requested_by.get_full_name()),
        (_("Đơn vị"), export.unit.name if export.unit else ""),
        (
            _("Cuộc họp bắt đầu trong khoảng"),
            f"{export.date_from:%d/%m/%Y} – {export.date_to:%d/%m/%Y}",
        ),
        (_("Mục đích"), export.purpose),
        (_("Người phê duyệt"), export.decided_by.get_full_name() if export.decided_by else ""),
        (_("Phê duyệt lúc"), local(export.decided_at)),
        (_("Được tải đến"), local(export.approved_until)),
        (_("Tạo tệp lúc"), local(timezone.now())),
    ]:
        info.append([label, _cell_value(value)])
        info.cell(row=info.max_row, column=1).font = Font(bold=True)
        if info.cell(row=info.max_row, column=2).data_type == "f":
            info.cell(row=info.max_row, column=2).data_type = "s"
    info.column_dimensions["A"].width = 30
    info.column_dimensions["B"].width = 80

    _sheet(
        workbook,
        _("Cuộc họp"),
        [
            _("Mã cuộc họp"),
            _("Tên cuộc họp"),
            _("Bắt đầu"),
            _("Đơn vị tổ chức"),
            _("Trạng thái"),
            _("Số tài liệu"),
            _("Số ý kiến"),
            _("Thư mục"),
        ],
        [
            [
                e.meeting.pk,
                e.meeting.title,
                local(e.meeting.start_at),
                e.meeting.organiser_unit.name,
                e.meeting.get_status_display(),
                e.documents,
                e.comments,
                e.folder,
            ]
            for e in archive.meetings
        ],
        [12, 50, 18, 35, 16, 12, 12, 60],
    )
    _sheet(workbook, _("Tệp"), _files_header(), _file_rows(archive), [12, 70, 34, 18, 16, 66])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def index_csv(archive: Archive) -> bytes:
    """The files' sheet as CSV, UTF-8 with a byte-order mark so that Excel reads the Vietnamese.
    No cell can start a formula: every path begins with its meeting's date."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_files_header())
    writer.writerows(_file_rows(archive))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
