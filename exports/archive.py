"""The archive of an approved export (D1), built at download time and streamed as a ZIP.

Layout:
    muc-luc.xlsx                          index: the request, one row per meeting, one per file
    2025-11-20-hop-ban-ke-hoach-nam/      one folder per meeting: start date and title's slug
        Kế hoạch v2.pdf                   the current version of each document, its own name
        gop-y.txt                         the comments: author, unit, time, body
        gop-y/Số liệu.pdf                 files attached to comments

Nothing is written to disk: document bytes are read from storage only as the ZIP reaches them,
and the archive is stored (not compressed) so that its length is known in advance.
"""

import contextlib
import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import zipstream
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from comments.models import Comment
from documents.filetypes import clean_filename
from documents.models import Document
from documents.storage import is_local, open_stored, stored_chunks
from documents.streaming import unique_arcnames
from meetings.models import Meeting

from .models import ExportRequest
from .selectors import meetings_of_export

INDEX_NAME = "muc-luc.xlsx"
COMMENTS_NAME = "gop-y.txt"
COMMENT_FILES_FOLDER = "gop-y"
FOLDER_SLUG_LENGTH = 60


def local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


@dataclass
class ArchiveFile:
    arcname: str
    kind: str
    meeting_id: int | None
    sha256: str
    size: int
    storage_name: str = ""
    storage: Storage | None = None
    data: bytes = b""


@dataclass
class MeetingEntry:
    meeting: Meeting
    folder: str
    documents: int = 0
    comments: int = 0


@dataclass
class Archive:
    export: ExportRequest
    meetings: list[MeetingEntry] = field(default_factory=list)
    files: list[ArchiveFile] = field(default_factory=list)

    @property
    def zip_name(self) -> str:
        export = self.export
        return f"ket-xuat-{export.pk}-{export.date_from:%Y%m%d}-{export.date_to:%Y%m%d}.zip"


def _folder(meeting: Meeting, used: set[str]) -> str:
    slug = slugify(meeting.title, allow_unicode=True)[:FOLDER_SLUG_LENGTH].strip("-_")
    name = f"{timezone.localtime(meeting.start_at):%Y-%m-%d}-{slug or 'cuoc-hop'}"
    if name.casefold() in used:
        name = f"{name}-{meeting.pk}"
    used.add(name.casefold())
    return name


def _storage_of(file: FieldFile) -> Storage:
    return file.storage if file else default_storage


def _comments_text(meeting: Meeting, comments: list[Comment]) -> str:
    lines = [
        _("Ý kiến góp ý – %(title)s") % {"title": meeting.title},
        _("Bắt đầu: %(start)s") % {"start": local(meeting.start_at)},
        "",
    ]
    if not comments:
        lines.append(_("Không có ý kiến góp ý."))
    for number, comment in enumerate(comments, start=1):
        author = comment.author.get_full_name()
        unit = comment.unit.name if comment.unit else ""
        lines.append(
            f"{number}. {author}"
            + (f" ({unit})" if unit else "")
            + f" – {local(comment.created_at)}"
        )
        if comment.document:
            lines.append(_("Về tài liệu: %(title)s") % {"title": comment.document.title})
        if comment.file_name:
            lines.append(_("Tệp đính kèm: %(name)s") % {"name": comment.file_name})
        lines.append(comment.body.strip())
        lines.append("")
    # A byte-order mark, so that Notepad on older Windows reads the Vietnamese correctly.
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


def build_archive(export: ExportRequest) -> Archive:
    """Plan the archive: which files, under which names, with which checksums. Three queries
    whatever the number of meetings."""
    archive = Archive(export=export)
    meetings = list(meetings_of_export(export))
    ids = [m.pk for m in meetings]
    documents: dict[int, list[Document]] = {}
    for document in (
        Document.objects.alive()
        .filter(meeting_id__in=ids, current__isnull=False)
        .select_related("current")
        .order_by("order", "id")
    ):
        documents.setdefault(document.meeting_id, []).append(document)
    comments: dict[int, list[Comment]] = {}
    for comment in (
        Comment.objects.filter(meeting_id__in=ids)
        .select_related("author", "unit", "document")
        .order_by("created_at", "id")
    ):
        comments.setdefault(comment.meeting_id, []).append(comment)

    used: set[str] = set()
    planned: list[ArchiveFile] = []
    for meeting in meetings:
        entry = MeetingEntry(meeting=meeting, folder=_folder(meeting, used))
        entry.documents = len(documents.get(meeting.pk, []))
        entry.comments = len(comments.get(meeting.pk, []))
        archive.meetings.append(entry)
        for document in documents.get(meeting.pk, []):
            version = document.current
            assert version is not None
            planned.append(
                ArchiveFile(
                    arcname=f"{entry.folder}/{clean_filename(version.original_name)}",
                    kind=_("Tài liệu"),
                    meeting_id=meeting.pk,
                    sha256=version.sha256,
                    size=version.size,
                    storage_name=version.file.name,
                    storage=_storage_of(version.file),
                )
            )
        text = _comments_text(meeting, comments.get(meeting.pk, [])).encode("utf-8")
        planned.append(
            ArchiveFile(
                arcname=f"{entry.folder}/{COMMENTS_NAME}",
                kind=_("Danh sách ý kiến góp ý"),
                meeting_id=meeting.pk,
                sha256=hashlib.sha256(text).hexdigest(),
                size=len(text),
                data=text,
            )
        )
        for comment in comments.get(meeting.pk, []):
            if comment.file:
                planned.append(
                    ArchiveFile(
                        arcname=(
                            f"{entry.folder}/{COMMENT_FILES_FOLDER}/"
                            f"{clean_filename(comment.file_name or comment.file.name)}"
                        ),
                        kind=_("Tệp đính kèm ý kiến"),
                        meeting_id=meeting.pk,
                        sha256=comment.file_sha256,
                        size=comment.file_size,
                        storage_name=comment.file.name,
                        storage=_storage_of(comment.file),
                    )
                )
    # Same name twice in a folder ("Báo cáo.pdf" uploaded twice): " (2)" before the extension.
    for file, arcname in zip(planned, unique_arcnames(f.arcname for f in planned), strict=True):
        file.arcname = arcname
    archive.files = planned
    return archive


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
    _sheet(
        workbook,
        _("Tệp"),
        [
            _("Mã cuộc họp"),
            _("Đường dẫn trong tệp nén"),
            _("Loại"),
            _("Dung lượng (byte)"),
            _("SHA-256"),
        ],
        [[f.meeting_id, f.arcname, f.kind, f.size, f.sha256] for f in archive.files],
        [12, 70, 24, 16, 66],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def archive_stream(archive: Archive) -> zipstream.ZipStream:
    """The archive as a ZIP built while it is sent; each stored file is read (from disk or S3, in
    chunks) only when the archive reaches it. An unavailable storage raises StorageUnavailable
    here, before the first byte, rather than cutting the ZIP short."""
    stored = [file for file in archive.files if file.storage is not None]
    if stored and stored[0].storage is not None and not is_local(stored[0].storage):
        with contextlib.suppress(FileNotFoundError):  # named in the ZIP when it is reached
            open_stored(stored[0].storage, stored[0].storage_name).close()
    stream = zipstream.ZipStream(compress_type=zipstream.ZIP_STORED, sized=True)
    stream.add(index_workbook(archive), INDEX_NAME)
    for file in archive.files:
        if file.storage is not None:
            stream.add(
                stored_chunks(file.storage, file.storage_name, file.size),
                file.arcname,
                size=file.size,
            )
        else:
            stream.add(file.data, file.arcname)
    return stream
