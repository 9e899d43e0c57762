"""The watermark of restricted documents (B11): who reads, from which unit, when, on which site.

The same text is drawn over every page in the viewer and stamped into every page of a download.
The stamp is one PDF of two pages (portrait and landscape), made once per request by WeasyPrint
with the Noto font (fonts-noto-core), so the Vietnamese words are real text a reader or pypdf can
read back. pikepdf (qpdf) then lays it over each page of the original: qpdf reads the objects
from the file as it needs them and copies the streams (the scanned pages' images) to the output
as they are, holding one stream at a time, so a 200 MB scanned PDF (80 pages of 2.5 MB) is
stamped with about 6 MB more memory; a single huge image needs about twice its own size. The
result is written to a temporary file, sent in chunks and deleted when the response closes.

Pages whose /Rotate turns them are stamped on their unrotated page (the stamp turns with them).
"""

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import Storage
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from accounts.models import User

from .storage import StoredChunks, is_local, stored_chunks

if TYPE_CHECKING:
    from .models import Document, DocumentVersion


class StampError(Exception):
    """The PDF could not be stamped (encrypted, broken); the message says so to the reader."""


def watermark_text(user: User, when: datetime | None = None) -> str:
    """ "Nguyễn Văn A (nguyenvana) · Sở Tài chính · 28/11/2026 09:41 · Họp không giấy"."""
    moment = timezone.localtime(when or timezone.now())
    name = user.full_name or user.get_username()
    parts = [f"{name} ({user.get_username()})"]
    unit = getattr(user, "unit", None) if user.unit_id else None
    if unit is not None:
        parts.append(unit.name)
    parts.append(moment.strftime("%d/%m/%Y %H:%M"))
    parts.append(str(settings.SITE_NAME))
    return " · ".join(parts)


STAMP_CSS = """
@page { size: A4; margin: 0; }
@page landscape { size: A4 landscape; margin: 0; }
html, body { margin: 0; padding: 0; }
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; color: rgba(170, 0, 0, 0.28); }
section { position: relative; width: 210mm; height: 297mm; overflow: hidden; }
section.landscape { page: landscape; width: 297mm; height: 210mm; break-before: page; }
.edge { position: absolute; left: 8mm; right: 8mm; font-size: 8pt; text-align: center;
        color: rgba(120, 0, 0, 0.55); }
.top { top: 5mm; }
.bottom { bottom: 5mm; }
.across { position: absolute; left: -40mm; right: -40mm; text-align: center; font-size: 17pt;
          font-weight: bold; transform: rotate(-30deg); }
"""


def _section(text: str, css_class: str, rows: int) -> str:
    line = escape(text)
    across = "".join(
        f'<div class="across" style="top: {int((i + 0.5) * 100 / rows)}%">{line}</div>'
        for i in range(rows)
    )
    return (
        f'<section class="{css_class}"><div class="edge top">{line}</div>{across}'
        f'<div class="edge bottom">{line}</div></section>'
    )


def stamp_pdf_bytes(text: str) -> bytes:
    """The stamp: page 1 portrait A4, page 2 landscape A4, transparent but for the text."""
    from weasyprint import HTML

    html = (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>{STAMP_CSS}</style>'
        f"</head><body>{_section(text, 'portrait', 4)}{_section(text, 'landscape', 3)}"
        "</body></html>"
    )
    return HTML(string=html).write_pdf()


def temp_dir() -> str | None:
    """Where stamped copies are written: the uploads' temporary folder when set (on the data
    disk, not a small /tmp), else the system's."""
    return getattr(settings, "FILE_UPLOAD_TEMP_DIR", None) or None


@contextlib.contextmanager
def local_copy(storage: Storage, name: str, size: int | None = None) -> Iterator[str]:
    """A path to the stored file: itself on local disk; from S3, a temporary copy made in
    chunks, deleted afterwards."""
    if is_local(storage):
        yield storage.path(name)
        return
    with tempfile.NamedTemporaryFile(dir=temp_dir(), suffix=".pdf") as copy:
        for chunk in stored_chunks(storage, name, size):
            copy.write(chunk)
        copy.flush()
        yield copy.name


def stamp(source_path: str, text: str) -> IO[bytes]:
    """The PDF at `source_path` with the stamp over every page, as an open temporary file at its
    start; closing it deletes it. Raises StampError for an encrypted or unreadable PDF."""
    import pikepdf

    stamp_data = stamp_pdf_bytes(text)
    output = tempfile.NamedTemporaryFile(dir=temp_dir(), suffix=".pdf")  # noqa: SIM115
    try:
        with (
            pikepdf.open(source_path) as pdf,
            pikepdf.open(_bytes_io(stamp_data)) as stamp_pdf,
        ):
            portrait = pdf.copy_foreign(stamp_pdf.pages[0].as_form_xobject())
            landscape = pdf.copy_foreign(stamp_pdf.pages[1].as_form_xobject())
            for page in pdf.pages:
                box = page.mediabox
                width = abs(float(box[2]) - float(box[0]))
                height = abs(float(box[3]) - float(box[1]))
                wide = width > height
                if int(page.obj.get("/Rotate", 0)) % 180:
                    wide = not wide
                page.add_overlay(landscape if wide else portrait, None)
            # Streams are copied as they are (no decoding, no compressing): fast, and qpdf
            # holds only the stream it is writing, so memory follows the largest page image.
            pdf.save(
                output,  # type: ignore[arg-type]
                compress_streams=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
            )
    except pikepdf.PasswordError as error:
        output.close()
        raise StampError(
            _(
                "Tệp PDF này được đặt mật khẩu nên không đóng được dấu chìm để tải về. Hãy đọc "
                "trực tuyến, hoặc nhờ ban tổ chức tải lên bản không đặt mật khẩu."
            )
        ) from error
    except (pikepdf.PdfError, ValueError, KeyError, TypeError) as error:
        output.close()
        raise StampError(
            _(
                "Tệp PDF này bị lỗi nên không đóng được dấu chìm để tải về. Hãy nhờ ban tổ chức "
                "tải lên lại tài liệu."
            )
        ) from error
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


PdfSource = tuple[Storage, str, int]
# Where a version that is not a PDF has one: the viewer (a higher floor) registers its finished
# conversions here in its AppConfig.ready(), so this module never imports it.
PDF_FINDERS: list[Callable[["DocumentVersion"], PdfSource | None]] = []


def register_pdf_finder(finder: Callable[["DocumentVersion"], PdfSource | None]) -> None:
    if finder not in PDF_FINDERS:
        PDF_FINDERS.append(finder)


def pdf_of(version: "DocumentVersion") -> PdfSource | None:
    """(storage, name, size) of the version's PDF: the version itself when it is one, else its
    PDF conversion when one is finished (viewer.Rendition, through PDF_FINDERS)."""
    if version.content_type == "application/pdf":
        return version.file.storage, version.file.name, version.size
    for finder in PDF_FINDERS:
        found = finder(version)
        if found is not None:
            return found
    return None


def stamped_copy(
    document: "Document", version: "DocumentVersion", user: User
) -> tuple[IO[bytes], str]:
    """The version's PDF stamped for `user`, as an open temporary file, and the name to give it.
    Raises StampError when there is no PDF of it yet, or it is encrypted or broken."""
    source = pdf_of(version)
    if source is None:
        raise StampError(
            _(
                "Tài liệu hạn chế chỉ tải về được dưới dạng PDF có dấu chìm, và tài liệu này "
                "chưa có bản PDF. Hãy đọc trực tuyến, hoặc nhờ ban tổ chức tải lên bản PDF."
            )
        )
    storage, name, size = source
    with local_copy(storage, name, size) as path:
        stamped = stamp(path, watermark_text(user))
    original = version.original_name
    stem = original.rsplit(".", 1)[0] if "." in original else original
    return stamped, (stem or document.title) + ".pdf"


def stamped_response(
    stamped: IO[bytes], filename: str, *, as_attachment: bool = True
) -> StreamingHttpResponse:
    """The stamped file in chunks; the temporary file is deleted when the response closes."""
    response = StreamingHttpResponse(StoredChunks(stamped), content_type="application/pdf")
    response["Content-Length"] = str(os.fstat(stamped.fileno()).st_size)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or (
        "attachment" if as_attachment else "inline"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
