"""The first draft of the minutes, written from what the product knows of the meeting (B7).

Plain text, one section per field of `MinutesVersion`, so that the secretary corrects everything
in the final text: the time and place, the chair and the secretary, the roll (present in person,
online, by a substitute, absent with the reason), the agenda items with who spoke on each, the
consolidated comments and the closed votes with their tallies. Reads in a fixed number of queries
whatever the number of invitees, speeches or votes."""

from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.letterhead import invitee_with_unit
from attendance.models import Attendee, Presence
from attendance.selectors import invitations_with_attendance, roll_entries
from comments.models import Summary
from core.dates import office_span
from meetings.models import Invitation, Meeting
from room.models import Speech
from voting.models import Option, Vote


def _when(meeting: Meeting) -> str:
    return office_span(meeting.start_at, meeting.end_at)


def _attendee(attendee: Attendee, invitation: Invitation) -> str:
    """A named attendee; with their unit when it is not the invited unit (a committee's members
    come from several units)."""
    text = str(attendee)
    person = attendee.person
    if person is not None and person.unit_id != invitation.unit_id:
        unit = person.unit.name
        if unit.casefold() not in text.casefold():
            text += f", {unit}"
    return text


def _roll(meeting: Meeting) -> list[str]:
    present: list[str] = []
    online: list[str] = []
    substitutes: list[str] = []
    absent: list[str] = []
    unmarked: list[str] = []
    # One line per person on the roll: each named attendee under their invitee, or the invitee.
    invitations = (
        invitations_with_attendance(meeting)
        .select_related("person__unit")
        .prefetch_related("reply__attendees__person__unit")
    )
    for entry in [e for i in invitations for e in roll_entries(i)]:
        invitation = entry.invitation
        name = invitee_with_unit(invitation.invitee)
        if entry.attendee is not None:
            name += f" ({_attendee(entry.attendee, invitation)})"
        presence = entry.presence
        status = entry.status
        if status == Presence.Status.PRESENT:
            present.append(name)
        elif status == Presence.Status.ONLINE:
            online.append(name)
        elif status == Presence.Status.SUBSTITUTE:
            assert presence is not None
            who = presence.substitute_name
            if presence.substitute_position:
                who += ", " + presence.substitute_position
            substitutes.append(_("%(invitee)s: %(who)s dự thay") % {"invitee": name, "who": who})
        elif status == Presence.Status.ABSENT:
            assert presence is not None
            absent.append(
                _("%(invitee)s, lý do: %(reason)s")
                % {
                    "invitee": name,
                    "reason": presence.reason,
                }
            )
        else:
            unmarked.append(name)
    lines: list[str] = []
    for title, names in (
        (_("Có mặt trực tiếp"), present),
        (_("Có mặt trực tuyến"), online),
        (_("Dự thay"), substitutes),
        (_("Vắng mặt"), absent),
        (_("Chưa điểm danh"), unmarked),
    ):
        if names:
            lines.append(f"{title} ({len(names)}):")
            lines += [f"- {name}" for name in names]
    return lines


def attendance_text(meeting: Meeting) -> str:
    chair = meeting.chair
    lines = [
        _("Thời gian: %s.") % _when(meeting),
        _("Địa điểm: %s.") % (meeting.location.name if meeting.location is not None else ""),
    ]
    if meeting.online_link:
        lines.append(_("Họp trực tuyến: %s") % meeting.online_link)
    if chair is not None:
        lines.append(
            _("Chủ trì: %s.")
            % (f"{chair.full_name}, {chair.position}" if chair.position else chair.full_name)
        )
    if meeting.secretary is not None:
        lines.append(_("Thư ký: %s.") % (meeting.secretary.get_full_name() or meeting.secretary))
    lines.append(_("Thành phần tham dự:"))
    roll = _roll(meeting)
    lines += roll or [_("(chưa có điểm danh)")]
    return "\n".join(lines)


def _vote_lines(vote: Vote, options: list[Option]) -> list[str]:
    counts = "; ".join(f"{o.label}: {o.tally}" for o in options)
    kind = _("bỏ phiếu kín") if vote.is_secret else _("biểu quyết công khai")
    return [
        _("Biểu quyết (%(kind)s): %(question)s") % {"kind": kind, "question": vote.question},
        _("Kết quả: %(counts)s (%(ballots)s phiếu / %(present)s có mặt / %(invited)s được mời).")
        % {
            "counts": counts,
            "ballots": vote.final_ballots or 0,
            "present": vote.final_present or 0,
            "invited": vote.final_invited or 0,
        },
    ]


def proceedings_text(meeting: Meeting) -> str:
    items = list(meeting.agenda_items.order_by("position", "id"))
    speeches: dict[int, list[Speech]] = defaultdict(list)
    for speech in Speech.objects.filter(
        meeting=meeting, status__in=[Speech.Status.DONE, Speech.Status.SPEAKING]
    ).order_by("started_at", "id"):
        speeches[speech.item_id].append(speech)
    votes = list(
        Vote.objects.filter(meeting=meeting, status=Vote.Status.CLOSED).order_by("closed_at", "id")
    )
    options: dict[int, list[Option]] = defaultdict(list)
    for option in Option.objects.filter(vote__in=votes).order_by("vote", "position"):
        options[option.vote_id].append(option)
    votes_of: dict[int | None, list[Vote]] = defaultdict(list)
    for vote in votes:
        votes_of[vote.agenda_item_id].append(vote)

    lines: list[str] = []
    if meeting.agenda and not items:
        lines += [_("Nội dung, chương trình cuộc họp:"), meeting.agenda.strip(), ""]
    for n, item in enumerate(items, start=1):
        heading = f"{n}. {item.title}"
        if item.presenter:
            heading += " " + _("(trình bày: %s)") % item.presenter
        lines.append(heading)
        if speeches[item.pk]:
            lines.append(_("Ý kiến phát biểu:"))
            for speech in speeches[item.pk]:
                who = speech.speaker_name
                if speech.speaker_for:
                    who += f" ({speech.speaker_for})"
                lines.append(f"- {who}: ")
        for vote in votes_of[item.pk]:
            lines += _vote_lines(vote, options[vote.pk])
        lines.append("")
    if votes_of[None]:
        lines.append(_("Kết quả biểu quyết:"))
        for vote in votes_of[None]:
            lines += _vote_lines(vote, options[vote.pk])
        lines.append("")
    summary = Summary.objects.filter(meeting=meeting).first()
    if summary is not None and summary.body.strip():
        lines += [_("Tổng hợp ý kiến góp ý của các thành phần mời:"), summary.body.strip(), ""]
    return "\n".join(lines).strip()


def recipients_text(meeting: Meeting) -> str:
    unit = meeting.organiser_unit
    return "\n".join(
        [
            _("- Thành phần mời họp;"),
            _("- Lưu: VT, %s.") % (unit.short_name or unit.code or unit.name),
        ]
    )


# A title that already names the meeting ("Họp ...", "Hội nghị ...") is the trích yếu as it is.
MEETING_WORDS = ("họp", "cuộc họp", "phiên họp", "hội nghị", "hội thảo", "buổi làm việc")


def subject(meeting: Meeting) -> str:
    title = meeting.title.strip()
    if title.casefold().startswith(MEETING_WORDS):
        return title[:1].upper() + title[1:]
    return _("Cuộc họp %s") % title


def draft(meeting: Meeting) -> dict[str, str]:
    """The sections of a new draft, in the site's language (the record's, not the reader's)."""
    with override(settings.LANGUAGE_CODE):
        return {
            "subject": subject(meeting),
            "attendance": attendance_text(meeting),
            "proceedings": proceedings_text(meeting),
            "conclusions": "",
            "recipients": recipients_text(meeting),
        }
