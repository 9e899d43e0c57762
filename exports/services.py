"""Every change of an export request (D1). The request and the decision are audited by the model
registry (exports.audit); a download writes its own audit entry here."""

from datetime import date, datetime

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import MAX_PURPOSE_LENGTH, MAX_RANGE_DAYS, VALID_FOR, ExportRequest
from .selectors import meetings_for_export


def check_range(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise ValidationError(_("“Đến ngày” phải bằng hoặc sau “Từ ngày”."), code="reversed")
    if (date_to - date_from).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError(
            _("Mỗi lần chỉ kết xuất tối đa %(days)s ngày; hãy chia thành nhiều đề nghị."),
            params={"days": MAX_RANGE_DAYS},
            code="too_long",
        )


@transaction.atomic
def export_request(*, by: User, date_from: date, date_to: date, purpose: str) -> ExportRequest:
    """A new request for the archive of the meetings starting within [date_from, date_to]."""
    check_range(date_from, date_to)
    purpose = purpose.strip()
    if not purpose:
        raise ValidationError(_("Hãy nêu mục đích kết xuất."), code="no_purpose")
    if not meetings_for_export(by, date_from, date_to).exists():
        raise ValidationError(
            _("Không có cuộc họp nào (đã phát hành) bắt đầu trong khoảng thời gian này."),
            code="empty",
        )
    export = ExportRequest(
        requested_by=by,
        unit_id=by.unit_id,
        date_from=date_from,
        date_to=date_to,
        purpose=purpose[:MAX_PURPOSE_LENGTH],
    )
    export.full_clean()
    export.save()
    return export


def _locked(export: ExportRequest) -> ExportRequest:
    return ExportRequest.objects.select_for_update().get(pk=export.pk)


def _check_decider(export: ExportRequest, by: User) -> None:
    # The views ask the rules first; this guards the one rule that must hold whatever calls us.
    if export.requested_by_id == by.pk:
        raise PermissionDenied(_("Không được tự phê duyệt đề nghị của chính mình."))


def _already_decided(export: ExportRequest) -> ValidationError:
    return ValidationError(
        _("Đề nghị này đã được quyết định (%(status)s)."),
        params={"status": export.get_effective_status_display()},
        code="decided",
    )


@transaction.atomic
def export_approve(*, export: ExportRequest, by: User, now: datetime | None = None) -> bool:
    """Approve and fix the meetings the archive will hold. Approving an approved request again
    (a double click, two tabs) changes nothing and returns False."""
    _check_decider(export, by)
    locked = _locked(export)
    if locked.status == ExportRequest.Status.APPROVED:
        return False
    if locked.status != ExportRequest.Status.REQUESTED:
        raise _already_decided(locked)
    now = now or timezone.now()
    locked.status = ExportRequest.Status.APPROVED
    locked.decided_by = by
    locked.decided_at = now
    locked.approved_until = now + VALID_FOR
    locked.full_clean()
    locked.save()
    locked.meetings.set(meetings_for_export(locked.requested_by, locked.date_from, locked.date_to))
    export.refresh_from_db()
    return True


@transaction.atomic
def export_refuse(*, export: ExportRequest, by: User, reason: str) -> bool:
    """Refuse, with the reason the requester will read. Returns False if it was refused already."""
    _check_decider(export, by)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Hãy nêu lý do từ chối."), code="no_reason")
    locked = _locked(export)
    if locked.status == ExportRequest.Status.REFUSED:
        return False
    if locked.status != ExportRequest.Status.REQUESTED:
        raise _already_decided(locked)
    locked.status = ExportRequest.Status.REFUSED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.refusal_reason = reason[:MAX_PURPOSE_LENGTH]
    locked.full_clean()
    locked.save()
    export.refresh_from_db()
    return True


@transaction.atomic
def export_expire(*, export: ExportRequest) -> bool:
    """Mark an approval whose 7 days are over as expired (audited like any change)."""
    locked = _locked(export)
    if not locked.is_past_due():
        return False
    locked.status = ExportRequest.Status.EXPIRED
    locked.save()
    export.refresh_from_db()
    return True


def export_expire_due(*, now: datetime | None = None) -> int:
    """Every approval past its deadline; run daily by `manage.py expire_exports`."""
    due = ExportRequest.objects.filter(
        status=ExportRequest.Status.APPROVED, approved_until__lte=now or timezone.now()
    )
    return sum(export_expire(export=export) for export in due)


@transaction.atomic
def export_download(
    *, export: ExportRequest, by: User, meetings: int, files: int
) -> LogEntry | None:
    """Count one download and write it to the audit log: who, when, from where (the address
    comes from the audit middleware), how many meetings and files."""
    now = timezone.now()
    ExportRequest.objects.filter(pk=export.pk).update(
        download_count=F("download_count") + 1, last_downloaded_at=now
    )
    export.refresh_from_db(fields=["download_count", "last_downloaded_at"])
    return LogEntry.objects.log_create(
        export,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        changes={"download_count": [str(export.download_count - 1), str(export.download_count)]},
        additional_data={
            "event": "download",
            "by": by.username,
            "meetings": meetings,
            "files": files,
        },
    )
