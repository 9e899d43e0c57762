"""Every write on notes: create, change (text, sharing), delete (soft).

Deliberately not in the audit log: its entries are read by the IT centre's admins, and a private
note must leave no trace for them (models.py). The author's own undo is the soft delete."""

import math
import uuid
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from documents.models import Document, DocumentVersion
from viewer.models import Rendition

from .models import MAX_QUOTE, MAX_RECTS, MAX_TEXT, Note

# A second identical note within this time is the same tap twice (a client without an id).
DUPLICATE_WINDOW = timedelta(seconds=2)


def page_count(version: DocumentVersion) -> int | None:
    """How many pages the version has, when it is a PDF we can read; None when unknown. Read once
    per version and remembered (a version's file never changes)."""
    known = getattr(version, "page_count", None)
    if isinstance(known, int) and known > 0:
        return known
    if "pdf" not in (version.content_type or ""):
        # An Office file: the pages of its PDF conversion, which the viewer shows.

        rendition = Rendition.objects.filter(version=version, status=Rendition.Status.DONE).first()
        return rendition.pages if rendition is not None and rendition.pages else None
    key = f"notes:pages:{version.pk}"
    pages = cache.get(key)
    if pages is None:
        pages = 0
        try:
            from pypdf import PdfReader

            with version.file.open("rb") as handle:
                pages = len(PdfReader(handle, strict=False).pages)
        except Exception:  # noqa: BLE001 - a damaged file: the page is not checked
            pages = 0
        cache.set(key, pages, 24 * 3600)
    return pages or None


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(_("Vị trí ghi chú không hợp lệ."), code="rects")
    number = float(value)
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise ValidationError(_("Vị trí ghi chú phải nằm trong trang (từ 0 đến 1)."), code="rects")
    return round(number, 5)


def clean_rects(kind: str, rects: Any) -> list[list[float]]:
    """Rectangles [x, y, w, h] relative to the page, each inside it; a pin is one point."""
    if not isinstance(rects, list) or not rects:
        raise ValidationError(_("Thiếu vị trí ghi chú trên trang."), code="rects")
    if kind == Note.Kind.PIN:
        if len(rects) != 1:
            raise ValidationError(_("Một ghi chú ghim có đúng một vị trí."), code="rects")
    elif len(rects) > MAX_RECTS:
        raise ValidationError(
            _("Đoạn tô sáng quá dài (nhiều nhất %d dòng).") % MAX_RECTS, code="rects"
        )
    cleaned = []
    for rect in rects:
        if not isinstance(rect, list | tuple) or len(rect) not in (2, 4):
            raise ValidationError(_("Vị trí ghi chú không hợp lệ."), code="rects")
        x, y, w, h = (*[_number(v) for v in rect], 0.0, 0.0)[:4]
        if x + w > 1.0001 or y + h > 1.0001:
            raise ValidationError(
                _("Vị trí ghi chú phải nằm trong trang (từ 0 đến 1)."), code="rects"
            )
        cleaned.append([x, y, w, h])
    return cleaned


def _clean_text(text: Any, limit: int, message: str) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise ValidationError(_("Nội dung ghi chú không hợp lệ."), code="text")
    # Plain text kept as typed (escaped wherever it is shown); control characters dropped.
    text = "".join(c for c in text if c in "\n\t" or c >= " ").strip()
    if len(text) > limit:
        raise ValidationError(message % {"limit": limit, "length": len(text)}, code="text")
    return text


def _shared_unit(by: User, share: bool) -> Any:
    if not share:
        return None
    if by.unit_id is None:
        raise ValidationError(_("Tài khoản chưa thuộc đơn vị nào để chia sẻ."), code="share")
    return by.unit


@transaction.atomic
def note_create(
    *,
    by: User,
    document: Document,
    version: DocumentVersion | None = None,
    page: Any,
    kind: str,
    rects: Any,
    text: Any = "",
    quote: Any = "",
    share: bool = False,
    client_id: uuid.UUID | None = None,
) -> tuple[Note, bool]:
    """The note, and whether it is new: the same client id again returns the note already saved."""
    if client_id is not None:
        existing = Note.objects.filter(author=by, client_id=client_id).first()
        if existing is not None:
            return existing, False
    version = version or document.current
    if version is None or version.document_id != document.pk:
        raise ValidationError(_("Phiên bản không thuộc tài liệu này."), code="version")
    if kind not in Note.Kind.values:
        raise ValidationError(_("Loại ghi chú không hợp lệ."), code="kind")
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValidationError(_("Số trang không hợp lệ."), code="page")
    pages = page_count(version)
    if pages is not None and page > pages:
        raise ValidationError(
            _("Tài liệu chỉ có %(pages)d trang, không có trang %(page)d.")
            % {"pages": pages, "page": page},
            code="page",
        )
    cleaned_rects = clean_rects(kind, rects)
    text = _clean_text(
        text, MAX_TEXT, _("Ghi chú dài %(length)d ký tự, nhiều nhất %(limit)d ký tự.")
    )
    quote = _clean_text(
        quote, MAX_QUOTE, _("Đoạn trích dài %(length)d ký tự, nhiều nhất %(limit)d ký tự.")
    )
    if kind == Note.Kind.PIN and not text:
        raise ValidationError(_("Hãy nhập nội dung ghi chú."), code="text")
    if kind == Note.Kind.HIGHLIGHT and not quote:
        raise ValidationError(_("Hãy chọn đoạn văn bản cần tô sáng."), code="quote")
    fields = {
        "author": by,
        "document": document,
        "version": version,
        "page": page,
        "kind": kind,
        "quote": quote,
        "rects": cleaned_rects,
        "text": text,
        "shared_unit": _shared_unit(by, share),
    }
    if client_id is None:
        # No id from the client: the same note made again within a moment is the same tap.
        recent = Note.objects.alive().filter(
            author=by,
            document=document,
            version=version,
            page=page,
            kind=kind,
            quote=quote,
            text=text,
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        same = next((n for n in recent if n.rects == cleaned_rects), None)
        if same is not None:
            return same, False
    note = Note(**fields, client_id=client_id or uuid.uuid4())
    note.full_clean(exclude=["author", "document", "version", "shared_unit"])
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        # The same id saved meanwhile by a parallel request: that one is the note.
        return Note.objects.get(author=by, client_id=note.client_id), False
    return note, True


@transaction.atomic
def note_update(*, note: Note, by: User, text: Any = None, share: bool | None = None) -> Note:
    """The author changes the text or the sharing; nobody else reaches here (views)."""
    if note.author_id != by.pk or note.deleted_at is not None:
        raise ValidationError(_("Không sửa được ghi chú này."), code="author")
    changed = []
    if text is not None:
        text = _clean_text(
            text, MAX_TEXT, _("Ghi chú dài %(length)d ký tự, nhiều nhất %(limit)d ký tự.")
        )
        if note.kind == Note.Kind.PIN and not text:
            raise ValidationError(_("Hãy nhập nội dung ghi chú."), code="text")
        note.text = text
        changed.append("text")
    if share is not None:
        note.shared_unit = _shared_unit(by, share)
        changed.append("shared_unit")
    if changed:
        note.save(update_fields=[*changed, "updated_at"])
    return note


@transaction.atomic
def note_delete(*, note: Note, by: User) -> None:
    if note.author_id != by.pk:
        raise ValidationError(_("Không xoá được ghi chú này."), code="author")
    if note.deleted_at is None:
        note.deleted_at = timezone.now()
        note.save(update_fields=["deleted_at", "updated_at"])
