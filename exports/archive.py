"""The archive of an approved export (D1), built at download time and streamed as a ZIP.

Layout:
    2025-11-20-họp-bàn-kế-hoạch-năm/      one folder per meeting: start date and title's slug
        Kế hoạch v2.pdf                   the current version of each document, its own name
        gop-y.txt                         the comments: author, unit, time, body
        gop-y/Số liệu.pdf                 files attached to comments
        ho-so/                            the meeting's records (meetings.archiving), PDF/A:
            Giấy mời.pdf                  the invitation, the roll, each closed vote, the
            Biên bản 12-BB-VPUBND.pdf     comments' summary, the approved minutes, each issued
            Biên bản 12-BB-VPUBND - bản ký số.pdf       conclusion notice and how its tasks
            Thông báo kết luận 125-TB-VPUBND.pdf        ended; beside them the signed originals
            bao-cao-nhiem-vu/Báo cáo.pdf              untouched, and the units' task reports
    muc-luc.xlsx, muc-luc.csv             the index: every file, its kind, date, size, SHA-256

Nothing is written to disk and little is held in memory: a stored file is read from storage
only as the ZIP reaches it, a record's PDF is made only then (one at a time), and each file's
SHA-256 is taken from the bytes as they pass, so the index, which lists them, comes last.
"""

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

import zipstream
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from comments.models import Comment
from core.text import cut_at_word
from documents.filetypes import clean_filename
from documents.models import Document
from documents.storage import is_local, open_stored, stored_chunks
from documents.streaming import unique_arcnames
from meetings.archiving import Record, Stored, records_of
from meetings.models import Meeting

from .index import CSV_NAME, INDEX_NAME, index_csv, index_workbook, local
from .models import ExportRequest
from .selectors import meetings_of_export

COMMENTS_NAME = "gop-y.txt"
COMMENT_FILES_FOLDER = "gop-y"
RECORDS_FOLDER = "ho-so"
FOLDER_SLUG_LENGTH = 60
# A record's name (a vote's question) is cut at a word to stay readable in a file manager.
RECORD_NAME_LENGTH = 100


@dataclass
class ArchiveFile:
    arcname: str
    kind: str
    meeting_id: int | None
    dated: datetime | date | None
    # Either an original in storage, copied as it is, or bytes made when the ZIP reaches them.
    stored: Stored | None = None
    make: Callable[[], bytes] | None = None
    # Counted, with the SHA-256, as the bytes pass into the ZIP.
    size: int | None = None
    sha256: str = ""

    def chunks(self) -> Iterator[bytes]:
        if self.stored is not None:
            yield from stored_chunks(self.stored.storage, self.stored.name, self.stored.size)
        elif self.make is not None:
            yield from made(self.make)


def made(make: Callable[[], bytes]) -> Iterator[bytes]:
    """Bytes made when the ZIP reaches them, in the office's language whoever downloads: an
    archive is filed in Vietnamese."""
    with override(settings.LANGUAGE_CODE):
        data = make()
    yield data


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
    def file_count(self) -> int:
        """The files in the ZIP: the meetings' and the two of the index."""
        return len(self.files) + 2

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


def _stored(file: FieldFile, size: int) -> Stored:
    storage = file.storage if file else default_storage
    return Stored(storage=storage, name=file.name or "", size=size)


def record_name(name: str) -> str:
    """A record's file name made safe: "12/BB-VPUBND" is a number, not a folder; the name cut at
    a word; no character Windows refuses (documents.filetypes.clean_filename)."""
    stem, dot, ext = " ".join(name.replace("/", "-").replace("\\", "-").split()).rpartition(".")
    if not dot:
        stem, ext = ext, ""
    stem = cut_at_word(stem, RECORD_NAME_LENGTH, " ")
    return clean_filename(f"{stem}.{ext}" if ext else stem)


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


def _document_files(entry: MeetingEntry, documents: list[Document]) -> Iterator[ArchiveFile]:
    for document in documents:
        version = document.current
        assert version is not None
        yield ArchiveFile(
            arcname=f"{entry.folder}/{clean_filename(version.original_name)}",
            kind=_("Tài liệu"),
            meeting_id=entry.meeting.pk,
            dated=version.uploaded_at,
            stored=_stored(version.file, version.size),
        )


def _comment_files(entry: MeetingEntry, comments: list[Comment]) -> Iterator[ArchiveFile]:
    meeting = entry.meeting
    yield ArchiveFile(
        arcname=f"{entry.folder}/{COMMENTS_NAME}",
        kind=_("Danh sách ý kiến góp ý"),
        meeting_id=meeting.pk,
        dated=comments[-1].created_at if comments else meeting.start_at,
        make=lambda: _comments_text(meeting, comments).encode("utf-8"),
    )
    for comment in comments:
        if comment.file:
            yield ArchiveFile(
                arcname=(
                    f"{entry.folder}/{COMMENT_FILES_FOLDER}/"
                    f"{clean_filename(comment.file_name or comment.file.name)}"
                ),
                kind=_("Tệp đính kèm ý kiến"),
                meeting_id=meeting.pk,
                dated=comment.created_at,
                stored=_stored(comment.file, comment.file_size),
            )


def _record_files(entry: MeetingEntry, records: list[Record]) -> Iterator[ArchiveFile]:
    for record in records:
        folder = f"{entry.folder}/{RECORDS_FOLDER}/"
        if record.folder:
            folder += f"{record_name(record.folder)}/"
        yield ArchiveFile(
            arcname=folder + record_name(record.name),
            kind=record.kind,
            meeting_id=record.meeting_id,
            dated=record.dated,
            stored=record.stored,
            make=record.render,
        )


def build_archive(export: ExportRequest) -> Archive:
    """Plan the archive: which files, under which names. The documents and comments in three
    queries whatever the number of meetings; the records in a few per kind (meetings.archiving),
    each record's PDF made only when the archive is streamed."""
    with override(settings.LANGUAGE_CODE):
        return _plan(export)


def _plan(export: ExportRequest) -> Archive:
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
    records = records_of(meetings, export.requested_by)

    used: set[str] = set()
    planned: list[ArchiveFile] = []
    for meeting in meetings:
        entry = MeetingEntry(meeting=meeting, folder=_folder(meeting, used))
        entry.documents = len(documents.get(meeting.pk, []))
        entry.comments = len(comments.get(meeting.pk, []))
        archive.meetings.append(entry)
        planned += _document_files(entry, documents.get(meeting.pk, []))
        planned += _comment_files(entry, comments.get(meeting.pk, []))
        planned += _record_files(entry, records.get(meeting.pk, []))
    # Same name twice in a folder ("Báo cáo.pdf" uploaded twice): " (2)" before the extension.
    for file, arcname in zip(planned, unique_arcnames(f.arcname for f in planned), strict=True):
        file.arcname = arcname
    archive.files = planned
    return archive


def _passing(file: ArchiveFile) -> Iterator[bytes]:
    """The file's bytes on their way into the ZIP; what passed is what the index lists."""
    digest, size = hashlib.sha256(), 0
    for chunk in file.chunks():
        digest.update(chunk)
        size += len(chunk)
        yield chunk
    file.sha256, file.size = digest.hexdigest(), size


def archive_stream(archive: Archive) -> zipstream.ZipStream:
    """The archive as a ZIP built while it is sent; each file is read (from disk or S3, in
    chunks) or made only when the archive reaches it, the index last. An unavailable storage
    raises StorageUnavailable here, before the first byte, rather than cutting the ZIP short."""
    first = next((file.stored for file in archive.files if file.stored is not None), None)
    if first is not None and not is_local(first.storage):
        with contextlib.suppress(FileNotFoundError):  # named in the ZIP when it is reached
            open_stored(first.storage, first.name).close()
    # Not sized: the records' PDFs are made as the ZIP is sent, so its length is not known when
    # it starts; the download starts at once instead of after every PDF is made.
    stream = zipstream.ZipStream(compress_type=zipstream.ZIP_STORED)
    for file in archive.files:
        stream.add(_passing(file), file.arcname)
    stream.add(made(partial(index_workbook, archive)), INDEX_NAME)
    stream.add(made(partial(index_csv, archive)), CSV_NAME)
    return stream
