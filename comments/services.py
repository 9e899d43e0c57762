"""Every write on comments (C1, C2)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from documents.filetypes import check_upload, clean_filename
from documents.models import Document
from documents.services import _sha256
from documents.storage import storing
from meetings.models import Meeting, Receipt

from .models import MAX_COMMENT_LENGTH, Comment, Summary

EDIT_WINDOW = timedelta(minutes=10)
DUPLICATE_WINDOW = timedelta(minutes=2)


def comments_open(meeting: Meeting) -> bool:
    """Before and during the meeting; never after its end or once cancelled (C1)."""
    return (
        meeting.status
        in {
            Meeting.Status.PUBLISHED,
            Meeting.Status.POSTPONED,
        }
        and timezone.now() < meeting.end_at
    )


def _check_open(meeting: Meeting) -> None:
    if not comments_open(meeting):
        raise ValidationError(
            _("Cuộc họp đã kết thúc hoặc bị huỷ: không nhận thêm ý kiến góp ý."), code="closed"
        )


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError(_("Hãy nhập nội dung góp ý."), code="empty")
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            _("Ý kiến dài %(length)s ký tự, quá giới hạn %(limit)s ký tự."),
            params={"length": len(body), "limit": MAX_COMMENT_LENGTH},
            code="too_long",
        )
    return body


def comment_add(
    *,
    meeting: Meeting,
    by: User,
    body: str,
    document: Document | None = None,
    uploaded: UploadedFile | None = None,
) -> Comment:
    _check_open(meeting)
    body = _check_body(body)
    if document is not None and (document.meeting_id != meeting.pk or document.deleted_at):
        raise ValidationError(_("Tài liệu không thuộc cuộc họp này."), code="document")
    twin = Comment.objects.filter(
        meeting=meeting,
        author=by,
        body=body,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if twin is not None:  # a double click sends the same comment twice
        return twin
    comment = Comment(meeting=meeting, author=by, unit_id=by.unit_id, document=document, body=body)
    if uploaded is not None:
        comment.file_type = check_upload(uploaded)
        comment.file_name = clean_filename(uploaded.name or "")
        comment.file_size = uploaded.size or 0
        comment.file_sha256 = _sha256(uploaded)
    with transaction.atomic():
        if uploaded is not None:
            with storing():
                comment.file.save(comment.file_name, uploaded, save=False)
        comment.save()
        Receipt.objects.update_or_create(
            meeting=meeting,
            user=by,
            defaults={"commented_at": timezone.now(), "unit_id": by.unit_id},
        )
    return comment


def may_edit(comment: Comment, user: User) -> bool:
    return (
        comment.author_id == user.pk
        and timezone.now() - comment.created_at < EDIT_WINDOW
        and comments_open(comment.meeting)
    )


@transaction.atomic
def comment_edit(*, comment: Comment, by: User, body: str) -> Comment:
    if not may_edit(comment, by):
        raise ValidationError(
            _("Chỉ sửa được ý kiến của mình trong 10 phút sau khi gửi, trước khi họp kết thúc."),
            code="locked",
        )
    comment.body = _check_body(body)
    comment.save(update_fields=["body", "updated_at"])
    return comment


@transaction.atomic
def summary_save(*, meeting: Meeting, by: User, body: str) -> Summary:
    body = body.strip()
    if not body:
        raise ValidationError(_("Hãy nhập nội dung tổng hợp."), code="empty")
    summary, _created = Summary.objects.update_or_create(
        meeting=meeting, defaults={"body": body, "by": by}
    )
    return summary
