"""Uploads are judged by their content, not their name; names are cleaned for download.

No database: these are plain functions fed real (tiny) files built here.
"""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import override_settings

from documents.filetypes import (
    ALLOWED_EXTENSIONS,
    check_upload,
    clean_filename,
    extension,
    sniff,
)

# --- Real tiny files -------------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
WEBP = b"RIFF" + struct.pack("<I", 26) + b"WEBPVP8 " + b"\x00" * 18
TIFF = b"II*\x00\x08\x00\x00\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xda\x25\x1d")  # filter byte + one red pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def zipped(members: dict[str, bytes], *, mimetype: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            # OpenDocument: the mimetype member first and uncompressed.
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES_XML = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/"/>'
DOCX = zipped({"[Content_Types].xml": CONTENT_TYPES_XML, "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": CONTENT_TYPES_XML, "xl/workbook.xml": b"<workbook/>"})
PPTX = zipped(
    {"[Content_Types].xml": CONTENT_TYPES_XML, "ppt/presentation.xml": b"<p:presentation/>"}
)
ODT = zipped(
    {"content.xml": b"<office:document-content/>"},
    mimetype=b"application/vnd.oasis.opendocument.text",
)
ODS = zipped(
    {"content.xml": b"<office:document-content/>"},
    mimetype=b"application/vnd.oasis.opendocument.spreadsheet",
)
ODP = zipped(
    {"content.xml": b"<office:document-content/>"},
    mimetype=b"application/vnd.oasis.opendocument.presentation",
)
PLAIN_ZIP = zipped({"Báo cáo.txt": "Nội dung".encode(), "phu-luc/bang.csv": b"a,b\n1,2\n"})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(uploaded) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(uploaded)
    return caught.value


# --- sniff -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (OLE2, "ole2"),
        (DOCX, "docx"),
        (XLSX, "xlsx"),
        (PPTX, "pptx"),
        (ODT, "odt"),
        (ODS, "ods"),
        (ODP, "odp"),
        (PLAIN_ZIP, "zip"),
        (png(), "png"),
        (JPEG, "jpeg"),
        (GIF, "gif"),
        (WEBP, "webp"),
        (TIFF, "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (EXE, None),
        (HTML, None),
        (b"just some text", None),
        (b"", None),
    ],
)
def test_sniff_names_the_content(content: bytes, kind: str | None) -> None:
    assert sniff(io.BytesIO(content)) == kind


def test_sniff_reads_from_the_start_and_rewinds() -> None:
    fileobj = io.BytesIO(PDF)
    fileobj.seek(7)
    assert sniff(fileobj) == "pdf"
    assert fileobj.tell() == 0
    fileobj = io.BytesIO(DOCX)
    fileobj.seek(len(DOCX))
    assert sniff(fileobj) == "docx"
    assert fileobj.read() == DOCX


def test_a_broken_zip_is_nothing() -> None:
    assert sniff(io.BytesIO(b"PK\x03\x04" + b"\x00" * 100)) is None
    # A real archive cut in half has lost its central directory.
    assert sniff(io.BytesIO(DOCX[: len(DOCX) // 2])) is None


def test_an_empty_zip_is_a_zip() -> None:
    assert sniff(io.BytesIO(zipped({}))) == "zip"


def test_an_odf_mimetype_that_is_not_odf_is_a_plain_zip() -> None:
    other = zipped({"content.xml": b"<x/>"}, mimetype=b"application/epub+zip")
    assert sniff(io.BytesIO(other)) == "zip"


def test_an_oversized_mimetype_member_is_not_read() -> None:
    # A megabyte of zeros deflates to a kilobyte; reading it is what a zip bomb relies on.
    bomb = zipped({"mimetype": b"application/vnd.oasis.opendocument.text" + b"\x00" * 1_000_000})
    assert len(bomb) < 10_000
    assert sniff(io.BytesIO(bomb)) == "zip"


# --- check_upload: accepted ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Giấy mời.pdf", PDF, "application/pdf"),
        ("To trinh.DOC", OLE2, "application/msword"),
        (
            "Dự thảo nghị quyết.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("bang-tinh.xls", OLE2, "application/vnd.ms-excel"),
        (
            "Dự toán 2025.xlsx",
            XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("trinh-chieu.ppt", OLE2, "application/vnd.ms-powerpoint"),
        (
            "Trình chiếu.pptx",
            PPTX,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("van-ban.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("so-lieu.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        ("bai-trinh-bay.odp", ODP, "application/vnd.oasis.opendocument.presentation"),
        ("so-do.png", png(), "image/png"),
        ("anh.jpg", JPEG, "image/jpeg"),
        ("anh.JPEG", JPEG, "image/jpeg"),
        ("hinh.gif", GIF, "image/gif"),
        ("hinh.webp", WEBP, "image/webp"),
        ("ban-quet.tif", TIFF, "image/tiff"),
        ("ban-quet.tiff", TIFF, "image/tiff"),
        ("ho-so.zip", PLAIN_ZIP, "application/zip"),
        # An Office file sent as a .zip is a ZIP too.
        ("du-thao.zip", DOCX, "application/zip"),
    ],
)
def test_files_whose_content_matches_their_extension_are_accepted(
    name: str, content: bytes, content_type: str
) -> None:
    uploaded = upload(name, content)
    assert check_upload(uploaded) == content_type
    # Left at the start, ready to be saved whole.
    assert uploaded.read() == content


def test_a_temporary_upload_on_disk_is_checked_by_content() -> None:
    with TemporaryUploadedFile("Dự thảo.docx", "application/octet-stream", len(DOCX), None) as f:
        f.write(DOCX)
        f.flush()
        assert (
            check_upload(f)
            == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        assert f.read() == DOCX
    with TemporaryUploadedFile("virus.pdf", "application/pdf", len(EXE), None) as f:
        f.write(EXE)
        f.flush()
        assert refusal(f).code == "content_mismatch"


def test_every_allowed_extension_maps_to_a_known_family() -> None:
    families = {"pdf", "word", "excel", "powerpoint", "opendocument", "image", "zip"}
    assert set(ALLOWED_EXTENSIONS.values()) == families
    assert "rtf" not in ALLOWED_EXTENSIONS and "exe" not in ALLOWED_EXTENSIONS
    assert all(ext == ext.lower() and not ext.startswith(".") for ext in ALLOWED_EXTENSIONS)


# --- check_upload: refused -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "family"),
    [
        ("virus.pdf", EXE, "PDF"),
        ("trang-web.pdf", HTML, "PDF"),
        ("bao-cao.pdf", DOCX, "PDF"),
        ("bang.xlsx", DOCX, "Excel"),
        ("van-ban.docx", XLSX, "Word"),
        ("van-ban.docx", PLAIN_ZIP, "Word"),
        ("van-ban.docx", OLE2, "Word"),
        ("bang.xls", XLSX, "Excel"),
        ("trinh-chieu.pptx", ODP, "PowerPoint"),
        ("van-ban.odt", ODS, "OpenDocument"),
        ("van-ban.odt", DOCX, "OpenDocument"),
        ("anh.jpg", png(), "ảnh"),
        ("anh.png", HTML, "ảnh"),
        ("ho-so.zip", PDF, "ZIP"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(
    name: str, content: bytes, family: str
) -> None:
    error = refusal(upload(name, content))
    ext = extension(name)
    assert error.code == "content_mismatch"
    assert error.params == {"name": name, "ext": ext, "family": family}
    assert error.messages == [f"Tệp “{name}” có đuôi .{ext} nhưng nội dung không phải {family}."]


def test_an_empty_file_is_refused_with_its_name() -> None:
    error = refusal(upload("Giấy mời.pdf", b""))
    assert error.code == "empty"
    assert error.messages == ["Tệp “Giấy mời.pdf” rỗng."]


@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=10)
def test_a_file_over_the_limit_is_refused_with_the_limit_in_mb() -> None:
    error = refusal(upload("lon.pdf", PDF))
    assert error.code == "too_large"
    message = error.messages[0]
    assert "“lon.pdf”" in message and "MB" in message
    # 10 bytes in MB, not rounded down to a misleading zero.
    assert "0,00001 MB" in message
    assert check_upload(upload("nho.pdf", b"%PDF-1.4\n")) == "application/pdf"  # 9 bytes: fits


@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=200 * 1024 * 1024)
def test_the_default_sized_limit_reads_as_whole_megabytes() -> None:
    class Huge(io.BytesIO):
        name = "rat-lon.pdf"
        size = 300 * 1024 * 1024

    error = refusal(Huge(PDF))
    assert error.messages == ["Tệp “rat-lon.pdf” (300 MB) vượt quá giới hạn 200 MB."]


@pytest.mark.parametrize(
    ("name", "shown"),
    [("setup.exe", ".exe"), ("trang.html", ".html"), ("van-ban.rtf", ".rtf"), ("README", None)],
)
def test_an_extension_not_allowed_is_refused_listing_the_allowed_ones(
    name: str, shown: str | None
) -> None:
    error = refusal(upload(name, PDF))
    assert error.code == "extension"
    message = error.messages[0]
    assert f"“{name}”" in message
    assert (shown or "(không có)") in message
    assert ".pdf, .doc, .docx" in message and ".zip" in message


def test_the_message_names_the_cleaned_file_not_the_path_sent() -> None:
    error = refusal(upload("C:\\Users\\vt\\virus.pdf", EXE))
    assert error.params["name"] == "virus.pdf"
    assert "Users" not in error.messages[0]


# --- clean_filename and extension ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../Báo cáo tình hình KT-XH quý III.pdf", "Báo cáo tình hình KT-XH quý III.pdf"),
        ("C:\\Users\\Văn thư\\Giấy mời họp.docx", "Giấy mời họp.docx"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("/etc/passwd", "passwd"),
        ("Tờ\x00 trình\x1b[31m.pdf", "Tờ trình[31m.pdf"),
        ("Dòng một\nDòng hai\r\t.pdf", "Dòng một Dòng hai.pdf"),
        ("Kế   hoạch \t 2025 .pdf", "Kế hoạch 2025.pdf"),
        ('Tên <có> "ký tự": cấm|?*.pdf', "Tên có ký tự cấm.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("  . Nghị quyết.pdf", "Nghị quyết.pdf"),
        ("....pdf", "tai-lieu.pdf"),
        (".pdf", "tai-lieu.pdf"),
        ("...", "tai-lieu"),
        ("", "tai-lieu"),
        ("../", "tai-lieu"),
        ("\x00\x01\x02.docx", "tai-lieu.docx"),
        ("bao-cao.PDF", "bao-cao.PDF"),
        ("Phiên bản 1.2 cuối", "Phiên bản 1.2 cuối"),
        # A right-to-left override would show "invoice‮fdp.exe" as "invoiceexe.pdf".
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ],
)
def test_clean_filename(raw: str, clean: str) -> None:
    assert clean_filename(raw) == clean


def test_clean_filename_composes_vietnamese_to_nfc() -> None:
    decomposed = "Ba\u0301o ca\u0301o.pdf"  # "Báo cáo" as macOS file names spell it
    assert clean_filename(decomposed) == "Báo cáo.pdf"
    assert len(clean_filename(decomposed)) == len("Báo cáo.pdf")


def test_a_very_long_name_is_cut_to_200_characters_keeping_the_extension() -> None:
    name = "Báo cáo tổng hợp ý kiến " * 20 + ".xlsx"
    cleaned = clean_filename(name)
    assert len(cleaned) <= 200
    assert cleaned.endswith(".xlsx")
    assert cleaned.startswith("Báo cáo tổng hợp ý kiến Báo cáo")
    assert not cleaned.removesuffix(".xlsx").endswith(" ")
    assert extension(cleaned) == "xlsx"


def test_a_long_dotless_name_is_cut_to_200_characters() -> None:
    assert clean_filename("a" * 500) == "a" * 200


@pytest.mark.parametrize(
    ("name", "ext"),
    [
        ("Báo cáo.PDF", "pdf"),
        ("luu-tru.tar.gz", "gz"),
        ("README", ""),
        ("thu-muc.v2/README", ""),
        ("C:\\thu-muc.v2\\bang.XLSX", "xlsx"),
        ("ket-thuc-bang-dau-cham.", ""),
    ],
)
def test_extension(name: str, ext: str) -> None:
    assert extension(name) == ext
