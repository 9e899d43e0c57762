"""Votes (B6). The chair, the secretary and the organiser open and close votes and watch the
count; whoever answers for an invitation casts its ballot (voting.services checks the roll and the
vote's state, with a message); the result is everyone's who sees the meeting once the vote
closes."""

from datetime import datetime

import rules
from django.db.models import QuerySet
from django.utils import timezone

from accounts.kept import kept_rows
from accounts.models import User
from accounts.rules import answered_by
from core.predicates import status_is
from meetings.models import Invitation
from meetings.rules import (
    chairs_meeting,
    meeting_is_published,
    meeting_is_running,
    sees_meeting,
    takes_the_roll,
)

from .selectors import answers_for_one


def _vote_meeting(vote: object) -> object:
    return getattr(vote, "meeting", None)


manages_votes = takes_the_roll | chairs_meeting


@rules.predicate
def sees_vote(user: User, vote: object) -> bool:
    meeting = _vote_meeting(vote)
    return bool(sees_meeting(user, meeting)) and bool(meeting_is_published(user, meeting))


@rules.predicate
def manages_vote(user: User, vote: object) -> bool:
    return bool(manages_votes(user, _vote_meeting(vote)))


vote_is_closed = status_is("closed")


@rules.predicate
def votes_in(user: User, vote: object) -> bool:
    """Answers for one of the meeting's invitations: one query, kept per shape of account
    (accounts.kept), as each of a hall's 500 casts asks it."""
    meeting_id = getattr(vote, "meeting_id", None)
    if meeting_id is None or not user.is_authenticated:
        return False
    read = answers_for_one(user, vote)
    if read is not None:  # the page read the invitations already
        return read
    found = kept_rows(
        "voting.votes_in", _answered_invitation, user, timezone.now(), ids={"meeting": meeting_id}
    )
    return bool(found)


def _answered_invitation(
    user: User, now: datetime, *, meeting: int
) -> QuerySet[Invitation, tuple[int]]:
    return Invitation.objects.filter(answered_by(user), meeting_id=meeting).values_list("pk")[:1]


rules.add_perm("voting.view_votes", sees_meeting & meeting_is_published)
rules.add_perm("voting.open_vote", sees_meeting & meeting_is_running & manages_votes)
rules.add_perm("voting.view_vote", sees_vote)
rules.add_perm("voting.cast_vote", sees_vote & votes_in)
rules.add_perm("voting.close_vote", sees_vote & manages_vote)
rules.add_perm("voting.view_live", sees_vote & manages_vote)
rules.add_perm("voting.view_results", sees_vote & (manages_vote | vote_is_closed))
rules.add_perm("voting.export_results", sees_vote & vote_is_closed)
