"""Every change of state on documents (M3, D1, D3) and the record of downloads (M7)."""

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import LoginEvent, User
from catalogs.models import DocumentField, DocumentType
from meetings.models import AgendaItem, Invitation, Meeting, MeetingChange
from meetings.notices import announce_changes
from meetings.services import check_retention

from .filetypes import check_upload, clean_filename
from .models import Document, DocumentVersion, Download
from .storage import storing

DUPLICATE_WINDOW = timedelta(minutes=10)


@dataclass
class Metadata:
    title: str = ""
    number: str = ""
    type: DocumentType | None = None
    field: DocumentField | None = None
    issuer: str = ""
    issued_on: date | None = None
    agenda_item: AgendaItem | None = None
    # Restricted documents (B11): an empty audience is every invitee of the meeting.
    restricted: bool = False
    audience: list[Invitation] = dataclasses.field(default_factory=list)
    allow_download: bool = False
    allow_offline: bool = False


def title_from_filename(name: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return stem.replace("_", " ").strip() or name


def _sha256(uploaded: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _new_version(
    *,
    document: Document,
    uploaded: UploadedFile,
    by: User,
    number: int,
    note: str = "",
    sha256: str = "",
) -> DocumentVersion:
    content_type = check_upload(uploaded)
    original = clean_filename(uploaded.name or "")
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=original,
        content_type=content_type,
        size=uploaded.size or 0,
        sha256=sha256 or _sha256(uploaded),
        uploaded_by=by,
        note=note,
    )
    # The storage moves a temporary upload into place, or copies it chunk by chunk (to S3 as a
    # multipart upload); a storage refusing it is a form error, and the transaction rolls back.
    with storing():
        version.file.save(original, uploaded, save=False)
    version.save()
    return version


def _record(document: Document, kind: str, by: User, summary: str) -> None:
    MeetingChange.objects.create(
        meeting=document.meeting,
        kind=kind,
        by=by,
        summary=summary,
        details={"document": document.pk},
        # A restricted document's title is not for every invitee's eyes (B11).
        visible_to_invitees=not document.meeting.is_draft and not document.restricted,
    )


def _check_open(meeting: Meeting) -> None:
    """Documents are frozen with their meeting: read under a lock, so that a cancel committing
    meanwhile is seen (documents/rules.py decides the same for the pages)."""
    current = Meeting.objects.select_for_update().only("status", "deleted_at").get(pk=meeting.pk)
    if current.deleted_at is not None or current.status == Meeting.Status.CANCELLED:
        raise ValidationError(
            _("Cuộc họp đã bị huỷ hoặc xoá: tài liệu được giữ nguyên như lúc đó."), code="frozen"
        )


def _own_item(meeting: Meeting, item: AgendaItem | None) -> AgendaItem | None:
    """A document belongs to an item of its own meeting, or to none."""
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError(
            _("Nội dung họp đã chọn không thuộc cuộc họp này."), code="foreign_agenda_item"
        )
    return item


def _notify(meeting: Meeting, by: User) -> None:
    announce_changes(meeting, by)


def document_add(
    *,
    meeting: Meeting,
    by: User,
    uploaded: UploadedFile,
    metadata: Metadata | None = None,
    notify: bool = True,
) -> Document:
    """One uploaded file becomes one document at version 1. Each file commits on its own, so a
    refused file in a batch leaves the others stored and tells which one failed."""
    metadata = metadata or Metadata()
    check_upload(uploaded)
    digest = _sha256(uploaded)
    # The same file sent twice in a row (double tap, resent form) is one document.
    twin = (
        Document.objects.alive()
        .filter(
            meeting=meeting,
            created_by=by,
            current__sha256=digest,
            current__original_name=clean_filename(uploaded.name or ""),
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        )
        .first()
    )
    if twin is not None:
        return twin
    with transaction.atomic():
        _check_open(meeting)
        order = (meeting.documents.aggregate(m=Max("order"))["m"] or 0) + 10
        document = Document(
            meeting=meeting,
            title=metadata.title or title_from_filename(clean_filename(uploaded.name or "")),
            number=metadata.number,
            type=metadata.type,
            field=metadata.field,
            issuer=metadata.issuer,
            issued_on=metadata.issued_on,
            agenda_item=_own_item(meeting, metadata.agenda_item),
            order=order,
            created_by=by,
            restricted=metadata.restricted,
            allow_download=metadata.restricted and metadata.allow_download,
            allow_offline=metadata.restricted and metadata.allow_offline,
        )
        document.full_clean(exclude=["current"])
        document.save()
        if metadata.restricted and metadata.audience:
            document.audience.set(_own_invitations(meeting, metadata.audience))
        version = _new_version(document=document, uploaded=uploaded, by=by, number=1, sha256=digest)
        document.current = version
        document.save(update_fields=["current", "updated_at"])
        _record(document, MeetingChange.Kind.DOCUMENT_ADDED, by, document.title)
        if notify:  # a batch of files notifies once, after the last (see the upload view)
            _notify(meeting, by)
    return document


def _own_invitations(meeting: Meeting, invitations: Any) -> list[Invitation]:
    """A restricted document's audience is chosen among its own meeting's invitees."""
    chosen = list(invitations)
    if any(invitation.meeting_id != meeting.pk for invitation in chosen):
        raise ValidationError(
            _("Thành phần được xem phải là thành phần mời của cuộc họp này."),
            code="foreign_invitation",
        )
    return chosen


@transaction.atomic
def document_set_agenda_item(
    *, document: Document, by: User, agenda_item: AgendaItem | None
) -> Document:
    """Moves a document under one of its meeting's agenda items, or back to the common documents.
    The organisers' history says so (invitees are not told: the document itself is unchanged);
    the audit log keeps the field's before and after with who did it."""
    _check_open(document.meeting)
    document = Document.objects.select_for_update().select_related("meeting").get(pk=document.pk)
    item = _own_item(document.meeting, agenda_item)
    if document.agenda_item_id == (item.pk if item else None):
        return document
    with set_actor(by):
        document.agenda_item = item
        document.save(update_fields=["agenda_item", "updated_at"])
    place = (
        _("nội dung %(position)s. %(title)s") % {"position": item.position, "title": item.title}
        if item
        else _("tài liệu chung")
    )
    MeetingChange.objects.create(
        meeting=document.meeting,
        kind=MeetingChange.Kind.EDITED,
        by=by,
        summary=_("Tài liệu «%(title)s» chuyển sang %(place)s")
        % {"title": document.title, "place": place},
        details={"document": document.pk},
        visible_to_invitees=False,
        notified_at=timezone.now(),
    )
    return document


@transaction.atomic
def document_update(*, document: Document, by: User, data: dict[str, Any]) -> Document:
    """The metadata, and whether the document is restricted, to whom, downloadable (B11). The
    audit log keeps each change (documents.audit), the audience's included."""
    _check_open(document.meeting)
    data = dict(data)
    audience = data.pop("audience", None)
    if "agenda_item" in data:
        _own_item(document.meeting, data["agenda_item"])
    for name, value in data.items():
        setattr(document, name, value)
    if not document.restricted:
        document.allow_download = False
        document.allow_offline = False
        audience = []
    document.full_clean()
    document.save()
    if document.restricted:
        # Its earlier lines in the meeting's history name it: the organisers' only from now.
        MeetingChange.objects.filter(
            meeting_id=document.meeting_id, details__document=document.pk
        ).update(visible_to_invitees=False)
    if audience is not None:
        chosen = _own_invitations(document.meeting, audience)
        if set(document.audience.values_list("pk", flat=True)) != {i.pk for i in chosen}:
            document.audience.set(chosen)
    return document


@transaction.atomic
def document_replace(
    *, document: Document, by: User, uploaded: UploadedFile, note: str = ""
) -> DocumentVersion:
    """A new version becomes current; the older ones stay, for the organiser (M3)."""
    _check_open(document.meeting)
    document = Document.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = _new_version(document=document, uploaded=uploaded, by=by, number=number, note=note)
    document.current = version
    document.save(update_fields=["current", "updated_at"])
    _record(
        document,
        MeetingChange.Kind.DOCUMENT_REPLACED,
        by,
        _("%(title)s: phiên bản %(number)s") % {"title": document.title, "number": number},
    )
    _notify(document.meeting, by)
    return version


@transaction.atomic
def document_delete(*, document: Document, by: User, reason: str) -> None:
    """Soft delete with a reason (M3), after the retention period for published meetings (D1)."""
    if not reason.strip():
        raise ValidationError(_("Hãy nêu lý do xoá tài liệu."), code="reason")
    _check_open(document.meeting)
    check_retention(document, official=document.meeting.published_at is not None)
    document.deleted_at = timezone.now()
    document.deleted_by = by
    document.deleted_reason = reason.strip()
    document.save(update_fields=["deleted_at", "deleted_by", "deleted_reason", "updated_at"])
    _record(document, MeetingChange.Kind.DOCUMENT_REMOVED, by, f"{document.title}: {reason}")
    _notify(document.meeting, by)


def download_record(
    *, version: DocumentVersion, user: User, session_key: str | None
) -> Download | None:
    """One download of one version (M7), counted on the session's sign-in record (A3)."""
    if not user.is_authenticated:
        return None
    event = None
    if session_key:
        event = (
            LoginEvent.objects.filter(
                session_key=session_key, user=user, kind=LoginEvent.Kind.SUCCESS
            )
            .only("pk")
            .first()
        )
    document = version.document
    with transaction.atomic():
        download = Download.objects.create(
            document=document,
            version=version,
            meeting_id=document.meeting_id,
            user=user,
            unit_id=user.unit_id,
            login_event=event,
        )
        if event is not None:
            LoginEvent.objects.filter(pk=event.pk).update(
                documents_downloaded=F("documents_downloaded") + 1
            )
    return download


def restricted_view_record(*, document: Document, user: User, where: str) -> None:
    """A reading of a restricted document (its page, the viewer) goes to the audit log with the
    account, the time and the address (B11); downloads are Download rows as any other."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        document,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=user,
        additional_data={"event": "restricted_document_viewed", "where": where},
    )
