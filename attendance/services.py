"""Every write on attendance (T1, T2): views call these, they never write themselves."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Person, User
from meetings.models import Invitation, Meeting, Receipt

from .models import Attendee, Presence, Reply
from .selectors import PRESENT_STATUSES, own_entry, with_roll

# A reason is kept for an absence or a substitute, not for someone who came.
ATTENDED_IN_PERSON_OR_ONLINE = {Presence.Status.PRESENT, Presence.Status.ONLINE}

# The secretary may correct the roll until this long after the meeting ends.
ROLL_EDITABLE_AFTER_END = timedelta(days=1)


@dataclass
class NamedAttendee:
    full_name: str
    position: str = ""
    phone: str = ""
    person: Person | None = None


def replies_open(meeting: Meeting) -> bool:
    return (
        meeting.status in {Meeting.Status.PUBLISHED, Meeting.Status.POSTPONED}
        and timezone.now() < meeting.start_at
    )


@transaction.atomic
def reply_set(
    *,
    invitation: Invitation,
    by: User,
    declined: bool,
    reason: str = "",
    attendees: list[NamedAttendee] | None = None,
) -> Reply:
    """Names who attends, or declines with a reason (T1); changeable until the meeting starts."""
    meeting = invitation.meeting
    if not replies_open(meeting):
        raise ValidationError(
            _("Cuộc họp đã bắt đầu hoặc không còn nhận đăng ký; không thay đổi được người dự."),
            code="closed",
        )
    attendees = attendees or []
    if declined and not reason.strip():
        raise ValidationError(_("Hãy nêu lý do không tham dự."), code="reason")
    if not declined and not attendees:
        raise ValidationError(
            _("Hãy chọn hoặc nhập ít nhất một người dự họp, hoặc chọn không tham dự."),
            code="empty",
        )
    reply, _created = Reply.objects.update_or_create(
        invitation=invitation,
        defaults={
            "declined": declined,
            "decline_reason": reason.strip() if declined else "",
            "by": by,
        },
    )
    _attendees_set(reply, [] if declined else attendees)
    Receipt.objects.update_or_create(
        meeting=meeting,
        user=by,
        defaults={"attendees_named_at": timezone.now(), "unit_id": by.unit_id},
    )
    return reply


def _same_person(attendee: Attendee, named: NamedAttendee) -> bool:
    if named.person is not None or attendee.person_id is not None:
        return named.person is not None and attendee.person_id == named.person.pk
    return attendee.full_name.casefold() == named.full_name.strip()[:150].casefold()


def _attendees_set(reply: Reply, named: list[NamedAttendee]) -> None:
    """The reply's attendees become `named`. Someone named again keeps their row, and with it
    their mark on the roll (taken early, at the door); those no longer named go, marks and all.
    A mark taken for the whole invitee before anybody was named becomes each one's mark."""
    kept: list[Attendee] = []
    existing = list(reply.attendees.order_by("id"))
    for one in named:
        row = next((a for a in existing if a not in kept and _same_person(a, one)), None)
        if row is None:
            row = Attendee(reply=reply, person=one.person)
        row.full_name = one.full_name.strip()[:150]
        row.position = one.position.strip()[:150]
        row.phone = one.phone.strip()[:30]
        row.save()
        kept.append(row)
    for gone in existing:
        if gone not in kept:
            gone.delete()
    _invitee_mark_to_attendees(reply.invitation, kept)


def _invitee_mark_to_attendees(invitation: Invitation, attendees: list[Attendee]) -> None:
    """An invitee's own mark, once it has named attendees, becomes the mark of each of them that
    has none of their own (one row each, through save(): audited, and counted by reports)."""
    if not attendees:
        return
    own = Presence.objects.filter(invitation=invitation, attendee__isnull=True).first()
    if own is None:
        return
    marked = set(
        Presence.objects.filter(attendee__in=attendees).values_list("attendee_id", flat=True)
    )
    for attendee in attendees:
        if attendee.pk not in marked:
            Presence.objects.create(
                invitation=invitation,
                attendee=attendee,
                status=own.status,
                reason=own.reason,
                substitute_name=own.substitute_name,
                substitute_position=own.substitute_position,
                marked_by=own.marked_by,
            )
    own.delete()


def roll_open(meeting: Meeting) -> bool:
    return (
        meeting.status == Meeting.Status.PUBLISHED
        and timezone.now() < meeting.end_at + ROLL_EDITABLE_AFTER_END
    )


@transaction.atomic
def presence_mark(
    *,
    invitation: Invitation,
    by: User,
    status: str,
    reason: str = "",
    substitute_name: str = "",
    substitute_position: str = "",
    attendee: Attendee | None = None,
) -> Presence:
    """One mark per named attendee, or per invitee that named nobody (T2). Sending the same mark
    twice changes nothing. Without an attendee, an invitee that named people has each of them
    marked alike (the whole delegation at once)."""
    if attendee is not None and (
        attendee.reply.invitation_id != invitation.pk or attendee.reply.declined
    ):
        raise ValidationError(
            _("Người này không có trong danh sách cử dự của thành phần mời."), code="attendee"
        )
    if not roll_open(invitation.meeting):
        raise ValidationError(
            _("Đã hết thời hạn điểm danh (một ngày sau khi cuộc họp kết thúc)."), code="closed"
        )
    reason, substitute_name = reason.strip(), substitute_name.strip()
    if status not in Presence.Status.values:
        raise ValidationError(
            _("Hãy chọn có mặt, có mặt trực tuyến, vắng mặt hoặc dự thay."), code="status"
        )
    if status == Presence.Status.ABSENT and not reason:
        raise ValidationError(_("Vắng mặt phải có lý do."), code="reason")
    if status == Presence.Status.SUBSTITUTE and not substitute_name:
        raise ValidationError(_("Dự thay phải có họ tên người dự thay."), code="substitute")
    if status == Presence.Status.SUBSTITUTE and not substitute_position.strip():
        raise ValidationError(_("Dự thay phải có chức vụ người dự thay."), code="substitute")
    keep_substitute = status == Presence.Status.SUBSTITUTE
    defaults = {
        "status": status,
        "reason": reason[:500] if status not in ATTENDED_IN_PERSON_OR_ONLINE else "",
        "substitute_name": substitute_name[:150] if keep_substitute else "",
        "substitute_position": substitute_position.strip()[:150] if keep_substitute else "",
        "marked_by": by,
    }
    # The invitation's row is the lock: two marks of one delegation racing stay consistent.
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    attendees = [attendee] if attendee is not None else _named(invitation)
    if not attendees:
        presence, _created = Presence.objects.update_or_create(
            invitation=invitation, attendee=None, defaults=defaults
        )
        return presence
    _invitee_mark_to_attendees(invitation, _named(invitation))
    for one in attendees:
        presence, _created = Presence.objects.update_or_create(
            invitation=invitation, attendee=one, defaults=defaults
        )
    return presence


def _named(invitation: Invitation) -> list[Attendee]:
    return list(
        Attendee.objects.filter(reply__invitation=invitation, reply__declined=False).order_by("id")
    )


@dataclass
class CheckIn:
    presence: Presence
    # already: the invitee was already counted present; nothing changed.
    already: bool = False
    # was_absent: the secretary had marked the invitee absent; the scan overrode it.
    was_absent: bool = False


@transaction.atomic
def check_in(*, invitation: Invitation, by: User) -> CheckIn:
    """QR self check-in at the door (B5): marks present, marked by the account that scanned, the
    scanner's own line of the roll (selectors.own_entry): their person's when the invitee named
    it, else the invitee's own mark. Views check the code, the window and `attendance.check_in`
    first.

    Idempotent: an invitee already counted present (in person, online or by a substitute) stays
    exactly as marked, so a repeat scan or a double tap changes nothing. An absence marked by the
    secretary is overridden: whoever scans at the door is in the building, which is better
    evidence than a mark made before they arrived; the page says so and the audit log keeps the
    absence and its reason."""
    # The invitation's row is the lock: two scans racing see one another's mark.
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    entry = own_entry(by, with_roll(Invitation.objects.filter(pk=invitation.pk)).get())
    existing = entry.presence
    if existing is not None and existing.status in PRESENT_STATUSES:
        return CheckIn(presence=existing, already=True)
    was_absent = existing is not None and existing.status == Presence.Status.ABSENT
    presence, _created = Presence.objects.update_or_create(
        invitation=invitation,
        attendee=entry.attendee,
        defaults={
            "status": Presence.Status.PRESENT,
            "reason": "",
            "substitute_name": "",
            "substitute_position": "",
            "marked_by": by,
        },
    )
    return CheckIn(presence=presence, was_absent=was_absent)
