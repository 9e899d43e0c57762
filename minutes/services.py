"""Every write on the minutes (B7): drafting, saving a version, regenerating, approving, returning.

Each runs in one transaction holding the minutes' row (FOR UPDATE), so that two tabs saving at
once cannot both build on the same version: a save names the version it was based on, and one
based on an older version than the latest is refused with a message (the caller keeps the text).
Approval publishes the approved version to the invitees (notifications: the inbox and e-mail,
queued in the same transaction and sent after the commit)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from meetings.models import Meeting

from . import drafting
from .models import MAX_SECTION_LENGTH, Minutes, MinutesEvent, MinutesVersion
from .notify import minutes_published


class StaleVersion(ValidationError):
    """The form was based on a version that is no longer the latest."""


def _clean(text: dict[str, Any]) -> dict[str, str]:
    cleaned = {}
    for name in MinutesVersion.SECTIONS:
        value = str(text.get(name) or "").replace("\r\n", "\n").replace("\x00", "").strip()
        cleaned[name] = value
    if not cleaned["subject"]:
        raise ValidationError(_("Hãy nhập trích yếu của biên bản."), code="subject")
    for name in ("attendance", "proceedings", "conclusions"):
        if len(cleaned[name]) > MAX_SECTION_LENGTH:
            raise ValidationError(
                _("Mỗi phần của biên bản dài tối đa %d ký tự.") % MAX_SECTION_LENGTH, code="long"
            )
    cleaned["subject"] = cleaned["subject"][:500]
    cleaned["recipients"] = cleaned["recipients"][:2000]
    return cleaned


def _add_version(
    minutes: Minutes, *, by: User, text: dict[str, str], kind: str, generated: bool = False
) -> MinutesVersion:
    latest = minutes.versions.aggregate(n=Max("number"))["n"] or 0
    version = MinutesVersion(minutes=minutes, number=latest + 1, generated=generated, by=by, **text)
    version.full_clean(exclude=["minutes"])
    version.save()
    MinutesEvent.objects.create(minutes=minutes, kind=kind, version=version.number, by=by)
    if minutes.status != Minutes.Status.DRAFT:
        # A change after approval (or after a return) waits for the chair again; the approved
        # version stays published until then.
        minutes.status = Minutes.Status.DRAFT
        minutes.save(update_fields=["status", "updated_at"])
    return version


def _locked(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)


def latest_number(minutes: Minutes) -> int:
    return minutes.versions.aggregate(n=Max("number"))["n"] or 0


def minutes_start(*, meeting: Meeting, by: User) -> Minutes:
    """Creates the minutes with a first draft from the meeting's data; starting twice (a double
    click, two secretaries) returns the minutes the first one made."""
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            minutes = Minutes.objects.create(meeting=meeting)
            _add_version(
                minutes,
                by=by,
                text=drafting.draft(meeting),
                kind=MinutesEvent.Kind.DRAFTED,
                generated=True,
            )
    except IntegrityError:  # the other click committed first
        return Minutes.objects.get(meeting=meeting)
    return minutes


@transaction.atomic
def minutes_save(
    *, minutes: Minutes, by: User, text: dict[str, Any], based_on: int
) -> MinutesVersion:
    """Saves the secretary's text as a new version; refused when `based_on` is not the latest."""
    locked = _locked(minutes)
    cleaned = _clean(text)
    latest = latest_number(locked)
    if based_on != latest:
        raise StaleVersion(
            _(
                "Biên bản đã được lưu thành phiên bản %(latest)d sau khi bạn mở trang (bạn sửa từ "
                "phiên bản %(based)d). Nội dung bạn nhập vẫn còn trong ô dưới đây: hãy mở phiên "
                "bản mới trong thẻ khác, đối chiếu rồi lưu lại."
            )
            % {"latest": latest, "based": based_on},
            code="stale",
        )
    current = locked.versions.get(number=latest)
    if current.text() == cleaned:
        raise ValidationError(_("Nội dung không thay đổi so với phiên bản hiện tại."), code="same")
    return _add_version(locked, by=by, text=cleaned, kind=MinutesEvent.Kind.EDITED)


@transaction.atomic
def minutes_regenerate(*, minutes: Minutes, by: User, based_on: int) -> MinutesVersion:
    """A new version built again from the meeting's data; the edited versions stay in the list."""
    locked = _locked(minutes)
    latest = latest_number(locked)
    if based_on != latest:
        raise StaleVersion(
            _("Biên bản vừa được lưu thành phiên bản %d; hãy xem lại trước khi lập lại.") % latest,
            code="stale",
        )
    return _add_version(
        locked,
        by=by,
        text=drafting.draft(locked.meeting),
        kind=MinutesEvent.Kind.REGENERATED,
        generated=True,
    )


def unit_symbol(unit: Unit) -> str:
    """The unit's part of a document's symbol (ký hiệu): its code, which is letters and digits
    ("VPUBND"), where a short name may hold spaces ("VP UBND tỉnh")."""
    short = unit.short_name.strip()
    return short if short and " " not in short else unit.code


def suggested_number(meeting: Meeting) -> str:
    """The next number of the organiser unit's minutes this year, with its symbol."""
    unit = meeting.organiser_unit
    year = timezone.localtime(meeting.start_at).year
    count = Minutes.objects.filter(
        meeting__organiser_unit=unit,
        approved_version__isnull=False,
        meeting__start_at__year=year,
    ).count()
    return f"{count + 1}/BB-{unit_symbol(unit)}"


@transaction.atomic
def minutes_approve(
    *, minutes: Minutes, by: User, version: int, number: str, place: str
) -> Minutes:
    """Approves the given (latest) version, freezes it as the published minutes and notifies
    the invitees. Refused if a newer version was saved since the chair opened the page."""
    locked = _locked(minutes)
    latest = latest_number(locked)
    if version != latest:
        raise StaleVersion(
            _("Thư ký vừa lưu phiên bản %d; hãy đọc phiên bản mới trước khi phê duyệt.") % latest,
            code="stale",
        )
    if locked.approved_version is not None and locked.approved_version.number == latest:
        raise ValidationError(_("Phiên bản này đã được phê duyệt."), code="approved")
    number = " ".join(number.split())[:60]
    place = " ".join(place.split())[:100]
    if not number:
        raise ValidationError(_("Hãy nhập số, ký hiệu của biên bản."), code="number")
    approved = locked.versions.get(number=latest)
    if not approved.attendance.strip() or not approved.proceedings.strip():
        # A draft may wait with an empty section; the published record may not.
        raise ValidationError(
            _(
                "Biên bản cần có thành phần tham dự và nội dung cuộc họp trước khi phê duyệt; "
                "hãy trả lại để thư ký bổ sung."
            ),
            code="empty",
        )
    locked.status = Minutes.Status.APPROVED
    locked.number = number
    locked.place = place
    locked.approved_version = approved
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.return_reason = ""
    locked.full_clean(exclude=["meeting", "approved_version"])
    locked.save()
    MinutesEvent.objects.create(
        minutes=locked, kind=MinutesEvent.Kind.APPROVED, version=latest, by=by, note=number
    )

    minutes_published(locked, by=by)
    return locked


@transaction.atomic
def minutes_return(*, minutes: Minutes, by: User, version: int, reason: str) -> Minutes:
    locked = _locked(minutes)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Hãy nêu lý do trả lại để thư ký sửa."), code="reason")
    latest = latest_number(locked)
    if version != latest:
        raise StaleVersion(
            _("Thư ký vừa lưu phiên bản %d; hãy đọc phiên bản mới trước.") % latest, code="stale"
        )
    if locked.status == Minutes.Status.APPROVED:
        raise ValidationError(_("Phiên bản này đã được phê duyệt."), code="approved")
    locked.status = Minutes.Status.RETURNED
    locked.return_reason = reason[:5000]
    locked.save(update_fields=["status", "return_reason", "updated_at"])
    MinutesEvent.objects.create(
        minutes=locked, kind=MinutesEvent.Kind.RETURNED, version=latest, by=by, note=reason[:5000]
    )
    return locked
