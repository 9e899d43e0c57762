"""What an uploaded file really is (M3): its content must match the family its extension claims.

Written by hand, on purpose: libmagic is a system library the embedded install does not need, and
generic sniffers call every Office Open XML or OpenDocument file "a ZIP". Telling a .docx from a
.xlsx or a plain archive takes a look inside the container, which zipfile does from the file's
central directory without reading the whole file.

Legacy .doc, .xls and .ppt are all OLE2 compound files; telling them apart would mean parsing the
compound file's directory, so any OLE2 content is accepted for the three of them.
"""

import struct
import unicodedata
import zipfile
import zlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ALLOWED_EXTENSIONS: dict[str, str] = {
    "pdf": "pdf",
    "doc": "word",
    "docx": "word",
    "xls": "excel",
    "xlsx": "excel",
    "ppt": "powerpoint",
    "pptx": "powerpoint",
    "odt": "opendocument",
    "ods": "opendocument",
    "odp": "opendocument",
    "png": "image",
    "jpg": "image",
    "jpeg": "image",
    "gif": "image",
    "webp": "image",
    "tif": "image",
    "tiff": "image",
    "zip": "zip",
}

# The detected kinds each extension accepts.
ACCEPTS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "doc": frozenset({"ole2"}),
    "docx": frozenset({"docx"}),
    "xls": frozenset({"ole2"}),
    "xlsx": frozenset({"xlsx"}),
    "ppt": frozenset({"ole2"}),
    "pptx": frozenset({"pptx"}),
    "odt": frozenset({"odt"}),
    "ods": frozenset({"ods"}),
    "odp": frozenset({"odp"}),
    "png": frozenset({"png"}),
    "jpg": frozenset({"jpeg"}),
    "jpeg": frozenset({"jpeg"}),
    "gif": frozenset({"gif"}),
    "webp": frozenset({"webp"}),
    "tif": frozenset({"tiff"}),
    "tiff": frozenset({"tiff"}),
    # An Office or OpenDocument file is a ZIP too; sent as .zip it is accepted as one.
    "zip": frozenset({"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp"}),
}

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "zip": "application/zip",
}

FAMILY_NAMES = {
    "pdf": "PDF",
    "word": "Word",
    "excel": "Excel",
    "powerpoint": "PowerPoint",
    "opendocument": "OpenDocument",
    "image": gettext_lazy("ảnh"),
    "zip": "ZIP",
}

ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}

# Longer than any ODF mimetype: a bigger "mimetype" member is not one.
MIMETYPE_MAX_BYTES = 100

# An Office or OpenDocument file is inflated by whoever opens it (the reader's office suite, a
# converter, a text extractor). What its central directory declares must stay within these; a
# real document of the upload limit's size is far below both. Sizes declared there can lie, so the
# check itself never inflates more than MIMETYPE_MAX_BYTES of any member.
DEFAULT_MAX_INFLATED_BYTES = 1024 * 1024 * 1024
DEFAULT_MAX_MEMBERS = 10_000
OFFICE_KINDS = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})

DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024

# Refused by Windows in file names; users download to Windows machines.
FORBIDDEN_CHARACTERS = frozenset('<>:"|?*')
MAX_NAME_LENGTH = 200
MAX_EXTENSION_LENGTH = 10
FALLBACK_STEM = "tai-lieu"


def extension(name: str) -> str:
    """Lower-case extension of the last path part, without the dot; "" when there is none."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = last.rpartition(".")
    return ext.lower() if dot else ""


class TooLarge(Exception):
    """An Office or OpenDocument file that declares more content, or more members, than allowed."""

    def __init__(self, inflated: int, members: int) -> None:
        super().__init__(inflated, members)
        self.inflated = inflated
        self.members = members


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """At most `limit` bytes of a member, inflating no more than that: the declared size may lie,
    and `ZipFile.read` inflates the whole stream in one go (a zip bomb's 200 MB from 200 KB)."""
    with archive.open(info) as member:
        return member.read(limit)


# The end-of-central-directory record: signature, disk numbers, entries on this disk and in all,
# the directory's size and offset, the comment's length.
_END_RECORD = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
# A central directory entry is 46 bytes plus its name, extra field and comment: about 150 bytes
# in real archives; a directory averaging more than this per allowed member is refused unread.
_MAX_ENTRY_BYTES = 1024


def _check_directory(fileobj: Any) -> None:
    """Refuses, before zipfile parses it into objects, a central directory with more members
    than allowed: parsing millions of entries would take gigabytes on its own."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    tail_size = min(size, _END_RECORD.size + 0xFFFF)
    fileobj.seek(size - tail_size)
    tail = fileobj.read(tail_size)
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        return  # zipfile will call it damaged
    fields = _END_RECORD.unpack_from(tail, at)
    entries, directory_bytes = fields[4], fields[5]
    max_members = getattr(settings, "DOCUMENT_MAX_MEMBERS", DEFAULT_MAX_MEMBERS)
    # 0xFFFF and 0xFFFFFFFF mean "see the ZIP64 record": more than 65 535 members, or a
    # directory over 4 GB, both beyond any limit here.
    if entries > max_members or directory_bytes > max_members * _MAX_ENTRY_BYTES:
        raise TooLarge(0, max(entries, directory_bytes // _MAX_ENTRY_BYTES))
    fileobj.seek(0)


def _zip_kind(fileobj: Any) -> str | None:
    _check_directory(fileobj)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            kind = _zip_contents_kind(archive)
            if kind in OFFICE_KINDS:
                infos = archive.infolist()
                inflated = sum(info.file_size for info in infos)
                max_inflated = getattr(
                    settings, "DOCUMENT_MAX_INFLATED_BYTES", DEFAULT_MAX_INFLATED_BYTES
                )
                max_members = getattr(settings, "DOCUMENT_MAX_MEMBERS", DEFAULT_MAX_MEMBERS)
                if inflated > max_inflated or len(infos) > max_members:
                    raise TooLarge(inflated, len(infos))
            return kind
    # A damaged, encrypted or oddly compressed container is not one we can vouch for.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        KeyError,
        RuntimeError,
        NotImplementedError,
    ):
        return None


def _zip_contents_kind(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        if info.file_size <= MIMETYPE_MAX_BYTES:
            kind = ODF_MIMETYPES.get(_read_bounded(archive, info, MIMETYPE_MAX_BYTES).strip())
            if kind:
                return kind
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def sniff(fileobj: Any) -> str | None:
    """The kind of content, from its first bytes (and a ZIP's member names), or None.

    Raises TooLarge for an Office or OpenDocument file over the inflated-size or member limits.
    Leaves the file at position 0 so that it can be saved straight after.
    """
    fileobj.seek(0)
    try:
        head = fileobj.read(16)
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            return "ole2"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return "gif"
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "webp"
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            return "tiff"
        # The second signature is an empty archive: only the end-of-directory record.
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            fileobj.seek(0)
            return _zip_kind(fileobj)
        return None
    finally:
        fileobj.seek(0)


def _megabytes(size: int) -> str:
    """In MB as people say it: "200", "1,5"; a test's tiny limit stays above zero."""
    megabytes = size / (1024 * 1024)
    text = f"{megabytes:.1f}" if megabytes >= 1 else f"{megabytes:.6f}".rstrip("0")
    return number_format(Decimal(text.removesuffix(".0").rstrip(".")))


def check_upload(uploaded_file: Any) -> str:
    """Refuses an empty, oversized, unlisted or disguised file with a message naming it.

    Returns the content type to store, chosen by the (checked) extension.
    """
    name = clean_filename(uploaded_file.name or "")
    size = uploaded_file.size or 0
    limit = getattr(settings, "DOCUMENT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng."), code="empty", params={"name": name})
    if size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” (%(size)s MB) vượt quá giới hạn %(limit)s MB."),
            code="too_large",
            params={"name": name, "size": _megabytes(size), "limit": _megabytes(limit)},
        )
    ext = extension(name)
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Không nhận tệp “%(name)s”: đuôi %(ext)s không được phép. Chỉ nhận: %(allowed)s."),
            code="extension",
            params={
                "name": name,
                "ext": f".{ext}" if ext else _("(không có)"),
                "allowed": ", ".join(f".{e}" for e in ALLOWED_EXTENSIONS),
            },
        )
    try:
        kind = sniff(uploaded_file)
    except TooLarge as error:
        max_members = getattr(settings, "DOCUMENT_MAX_MEMBERS", DEFAULT_MAX_MEMBERS)
        if error.members > max_members:
            raise ValidationError(
                _(
                    "Không nhận tệp “%(name)s”: tệp nén có %(members)s thành phần, quá giới hạn "
                    "%(limit)s."
                ),
                code="too_many_members",
                params={
                    "name": name,
                    "members": number_format(error.members),
                    "limit": number_format(max_members),
                },
            ) from None
        max_inflated = getattr(settings, "DOCUMENT_MAX_INFLATED_BYTES", DEFAULT_MAX_INFLATED_BYTES)
        raise ValidationError(
            _(
                "Không nhận tệp “%(name)s”: giải nén ra %(size)s MB, quá giới hạn %(limit)s MB "
                "cho một tài liệu văn phòng."
            ),
            code="too_large_inflated",
            params={
                "name": name,
                "size": _megabytes(error.inflated),
                "limit": _megabytes(max_inflated),
            },
        ) from None
    if kind not in ACCEPTS[ext]:
        raise ValidationError(
            _("Tệp “%(name)s” có đuôi .%(ext)s nhưng nội dung không phải %(family)s."),
            code="content_mismatch",
            params={"name": name, "ext": ext, "family": FAMILY_NAMES[ALLOWED_EXTENSIONS[ext]]},
        )
    return CONTENT_TYPES[ext]


def _clean_part(text: str) -> str:
    # Line breaks and tabs separate words: they become spaces before other controls go.
    text = "".join(
        " " if c.isspace() else c
        for c in text
        if c.isspace()
        or (not unicodedata.category(c).startswith("C") and c not in FORBIDDEN_CHARACTERS)
    )
    return " ".join(text.split())


def clean_filename(name: str) -> str:
    """The name users see on download.

    Only the last path part; NFC so that Vietnamese typed on different systems compares equal;
    no control or invisible format characters (a right-to-left override can disguise ".exe");
    none of the characters Windows refuses.
    """
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    ext = _clean_part(ext)
    if not dot or not ext or " " in ext or len(ext) > MAX_EXTENSION_LENGTH:
        # No extension worth keeping apart: the whole name is the stem.
        stem, ext = name, ""
    # Leading dots would hide the file on Linux; trailing dots and spaces vanish on Windows.
    stem = _clean_part(stem).strip(". ")
    suffix = f".{ext}" if ext else ""
    stem = stem[: MAX_NAME_LENGTH - len(suffix)].rstrip(". ")
    return (stem or FALLBACK_STEM) + suffix
