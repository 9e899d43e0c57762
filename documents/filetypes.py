"""What an uploaded file really is (M3): its content must match the family its extension claims.

Written by hand, on purpose: libmagic is a system library the embedded install does not need, and
generic sniffers call every Office Open XML or OpenDocument file "a ZIP". Telling a .docx from a
.xlsx or a plain archive takes a look inside the container, which zipfile does from the file's
central directory without reading the whole file.
"""

import unicodedata
import zipfile
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
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
ACCEPTS: dict[str, set[str]] = {
    "pdf": {"pdf"},
    "doc": {"ole2"},
    "docx": {"docx"},
    "xls": {"ole2"},
    "xlsx": {"xlsx"},
    "ppt": {"ole2"},
    "pptx": {"pptx"},
    "odt": {"odt"},
    "ods": {"ods"},
    "odp": {"odp"},
    "png": {"png"},
    "jpg": {"jpeg"},
    "jpeg": {"jpeg"},
    "gif": {"gif"},
    "webp": {"webp"},
    "tif": {"tiff"},
    "tiff": {"tiff"},
    # An Office or OpenDocument file is a ZIP too; sent as .zip it is accepted as one.
    "zip": {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp"},
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

ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _zip_kind(fileobj: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                kind = ODF.get(archive.read("mimetype").strip())
                if kind:
                    return kind
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "ppt/presentation.xml" in names:
                return "pptx"
            return "zip"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None


def sniff(fileobj: Any) -> str | None:
    """The kind of content, from its first bytes (and a ZIP's member names)."""
    fileobj.seek(0)
    head = fileobj.read(16)
    try:
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
        if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
            fileobj.seek(0)
            return _zip_kind(fileobj)
        return None
    finally:
        fileobj.seek(0)


def check_upload(uploaded: Any) -> str:
    """Refuses an empty, oversized, unlisted or disguised file with a message naming it; returns
    the content type to store."""
    name = clean_filename(uploaded.name or "")
    limit = getattr(settings, "DOCUMENT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
    if not uploaded.size:
        raise ValidationError(_("Tệp “%(name)s” rỗng."), code="empty", params={"name": name})
    if uploaded.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn giới hạn %(limit)s MB."),
            code="too_large",
            params={"name": name, "limit": round(limit / 1024 / 1024, 1)},
        )
    ext = extension(name)
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Tệp “%(name)s”: không nhận loại tệp .%(ext)s. Chỉ nhận: %(allowed)s."),
            code="extension",
            params={
                "name": name,
                "ext": ext or "?",
                "allowed": ", ".join(sorted(ALLOWED_EXTENSIONS)),
            },
        )
    kind = sniff(uploaded)
    if kind not in ACCEPTS[ext]:
        raise ValidationError(
            _("Tệp “%(name)s” có đuôi .%(ext)s nhưng nội dung không phải %(family)s."),
            code="content",
            params={"name": name, "ext": ext, "family": FAMILY_NAMES[ALLOWED_EXTENSIONS[ext]]},
        )
    return CONTENT_TYPES[ext]


FORBIDDEN = set('<>:"|?*')


def clean_filename(name: str) -> str:
    """The name users will see on download: the last path part, without control characters, in
    NFC so that Vietnamese typed on different systems compares equal."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    name = "".join(
        c for c in name if not unicodedata.category(c).startswith("C") and c not in FORBIDDEN
    )
    name = " ".join(name.split()).lstrip(". ").rstrip(" ")
    ext = extension(name)
    if not name or name == f".{ext}" or name.rsplit(".", 1)[0].strip(". ") == "":
        return "tai-lieu" + (f".{ext}" if ext else "")
    if len(name) > 200:
        suffix = f".{ext}" if ext and len(ext) < 10 else ""
        name = name[: 200 - len(suffix)].rstrip() + suffix
    return name
