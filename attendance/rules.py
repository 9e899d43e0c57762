"""Who replies, takes the roll and checks in (T1-T3, B5, B9)."""

from collections.abc import Iterable

import rules

from accounts.models import User
from accounts.rules import answers_for_invitation, is_admin, is_clerk
from meetings.models import Meeting
from meetings.rules import (
    chairs_meeting,
    meeting_is_open,
    meeting_is_published,
    sees_meeting,
    takes_the_roll,
)
from meetings.selectors import Invitee


@rules.predicate
def invitation_is_sent(user: User, invitation: object) -> bool:
    """A draft's invitations are not sent yet: nobody answers them, nobody is marked present."""
    return bool(meeting_is_published(user, getattr(invitation, "meeting", None)))


@rules.predicate
def named_as_attendee(user: User, invitation: object) -> bool:
    """A person the invitee named to attend (attendance.Attendee.person) checks in for it too."""
    person_id = getattr(user, "person_id", None)
    reply = getattr(invitation, "reply", None) if invitation is not None else None
    if person_id is None or reply is None or reply.declined:
        return False
    return any(a.person_id == person_id for a in reply.attendees.all())


@rules.predicate
def invitation_meeting_is_open(user: User, invitation: object) -> bool:
    return bool(meeting_is_open(user, getattr(invitation, "meeting", None)))


rules.add_perm("attendance.reply_invitation", answers_for_invitation & invitation_is_sent)


def may_reply_to_any(user: User, invitees: Iterable[Invitee], meeting: Meeting) -> bool:
    """Whether the account may reply to one of these invitations of the meeting (its page's
    action "Cử người dự họp"): asked of those it answers for only, the rule's first test, not of
    each of a meeting's invitees (each then made an invitation for the rules)."""
    return any(
        user.has_perm("attendance.reply_invitation", invitee.invitation(meeting))
        for invitee in invitees
        if answers_for_invitation(user, invitee)
    )


rules.add_perm("attendance.take_roll", sees_meeting & meeting_is_published & takes_the_roll)
rules.add_perm("attendance.view_figures", sees_meeting & (takes_the_roll | chairs_meeting))
rules.add_perm("attendance.view_unit_figures", is_admin | is_clerk)

# Checking in marks the invitation present: its own account, or a person named to attend.
rules.add_perm(
    "attendance.check_in",
    (answers_for_invitation | named_as_attendee) & invitation_is_sent & invitation_meeting_is_open,
)
# The door's QR code and the QR on printed invitations: whoever takes the roll.
rules.add_perm(
    "attendance.view_check_in_code",
    sees_meeting & meeting_is_published & meeting_is_open & takes_the_roll,
)
# The join-online button: those who see the published meeting (its invitees and organisers).
rules.add_perm("attendance.join_online", sees_meeting & meeting_is_published & meeting_is_open)
