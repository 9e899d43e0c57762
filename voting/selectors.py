"""Reads for the vote pages and the room's screen, in a fixed number of queries.

The room's screen (helper app `room`) uses: `screen_vote(meeting)`, `screen_context(meeting)`
and the template `voting/_screen.html`; its version is kept in the cache (meetings.polling)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.kept import kept_rows
from accounts.models import User
from accounts.rules import answered_by, answers_for_invitation
from attendance.selectors import (
    ROLL_JOINED,
    invitation_attended,
    present_statuses,
    read_roll,
    with_roll,
)
from core.links import link
from core.todo import TODO_LIMIT, TodoItem
from meetings.models import Invitation, Meeting
from meetings.selectors import note_reached

from .models import Choice, Option, Participation, Vote

# The named list's word for those present who cast no ballot.
NOT_VOTING = gettext_lazy("Không biểu quyết")

# How long the screen keeps showing a closed vote's result.
SCREEN_KEEPS_RESULT = timedelta(minutes=10)


def percent(part: int, whole: int | None) -> Decimal | None:
    """Rounded to one decimal, half up, as read aloud in the room (2/3 -> 66.7)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class OptionRow:
    option: Option
    count: int
    of_present: Decimal | None
    of_invited: Decimal | None
    of_ballots: Decimal | None


@dataclass
class Result:
    vote: Vote
    ballots: int
    present: int
    invited: int
    rows: list[OptionRow] = field(default_factory=list)
    is_final: bool = False

    @property
    def turnout_of_present(self) -> Decimal | None:
        return percent(self.ballots, self.present)

    @property
    def turnout_of_invited(self) -> Decimal | None:
        return percent(self.ballots, self.invited)


def options_of(vote: Vote) -> list[Option]:
    """The vote's options in their order, with their tallies."""
    return list(Option.objects.filter(vote=vote).order_by("position"))


def result_for(vote: Vote, options: list[Option] | None = None) -> Result:
    """The counts (final ones once closed, else as of now) with their percentages of those
    present and of those invited. Three queries at most; two with the vote's `options` read
    already (in their order)."""
    if options is None:
        options = options_of(vote)
    if vote.status == Vote.Status.CLOSED and vote.final_ballots is not None:
        ballots, present, invited = vote.final_ballots, vote.final_present, vote.final_invited
        final = True
    else:
        figures = Invitation.objects.filter(meeting=vote.meeting_id).aggregate(
            invited=Count("id", distinct=True),
            present=Count("id", filter=Q(presences__status__in=present_statuses()), distinct=True),
            ballots=Count(
                "vote_participations",
                filter=Q(vote_participations__vote=vote),
                distinct=True,
            ),
        )
        ballots, present, invited = figures["ballots"], figures["present"], figures["invited"]
        final = False
    result = Result(
        vote=vote, ballots=ballots, present=present or 0, invited=invited or 0, is_final=final
    )
    for option in options:
        result.rows.append(
            OptionRow(
                option=option,
                count=option.tally,
                of_present=percent(option.tally, present),
                of_invited=percent(option.tally, invited),
                of_ballots=percent(option.tally, ballots),
            )
        )
    return result


def ballots_count(vote: Vote) -> int:
    return Participation.objects.filter(vote=vote).count()


@dataclass
class NamedRow:
    invitation: Invitation
    labels: list[str]
    by: str
    # False: present (by the roll) but cast no ballot, listed as not voting.
    cast: bool = True


def named_list(vote: Vote) -> list[NamedRow]:
    """Who chose what, for a named vote only (a secret vote has nothing to list), in the order
    of the invitations; an invitee present by the roll that cast no ballot is listed as not
    voting (Không biểu quyết). Four queries."""
    if vote.is_secret:
        return []
    invitations = {i.pk: i for i in with_roll(Invitation.objects.filter(meeting=vote.meeting_id))}
    rows: dict[int, NamedRow] = {}
    for choice in (
        Choice.objects.filter(vote=vote)
        .select_related("option", "by")
        .order_by("invitation_id", "option__position")
    ):
        invitation = invitations.get(choice.invitation_id)
        if invitation is None:
            continue
        row = rows.setdefault(
            invitation.pk,
            NamedRow(invitation=invitation, labels=[], by=choice.by.get_full_name()),
        )
        row.labels.append(choice.option.label)
    for invitation in invitations.values():
        if invitation.pk not in rows and invitation_attended(invitation):
            rows[invitation.pk] = NamedRow(
                invitation=invitation, labels=[str(NOT_VOTING)], by="", cast=False
            )
    return [rows[pk] for pk in sorted(rows)]


def votes_of(meeting: Meeting) -> QuerySet[Vote]:
    return (
        Vote.objects.filter(meeting=meeting)
        .select_related("agenda_item")
        .annotate(ballots=Count("participations"))
        .order_by("-opened_at", "-id")
    )


def mark_cast(invitation: Invitation, vote: Vote, option_ids: list[int]) -> None:
    """An invitation of `invitations_for_voter` after its ballot was accepted, as it reads now."""
    invitation.has_voted = True  # type: ignore[attr-defined]
    invitation.chosen = [] if vote.is_secret else sorted(set(option_ids))  # type: ignore[attr-defined]


def vote_for(user: User, pk: int) -> Vote | None:
    """The vote a page, a ballot or a poll acts on, with its meeting and item (None when there is
    none), from the query kept per shape of account (accounts.kept): each of a hall's phones reads
    it on its ballot page and on its cast. Whether the account may see it is the caller's rule."""
    found = kept_rows("voting.vote_for", _vote_of, user, timezone.now(), ids={"pk": pk})
    return found[0] if found else None


def _vote_of(user: User, now: datetime, *, pk: int) -> QuerySet[Vote]:
    return Vote.objects.select_related("meeting", "agenda_item").filter(pk=pk)[:1]


def _voter_invitations(
    user: User, now: datetime, *, meeting_id: int, vote_id: int
) -> QuerySet[Invitation]:
    """The invitations of the meeting this account answers for, with the roll's joins and
    whether each cast a ballot in the vote; read from the query kept per shape of account
    (accounts.kept): building it was about a fifth of a phone's ballot page and of its cast."""
    cast = Participation.objects.filter(vote_id=vote_id, invitation=OuterRef("pk"))
    return (
        Invitation.objects.filter(answered_by(user), meeting_id=meeting_id)
        .annotate(has_voted=Exists(cast))
        .select_related(*ROLL_JOINED)
        .order_by("id")
    )


# Noted on the vote by invitations_for_voter for the rest of the request: whether the account
# answers for one of the meeting's invitations (the filter of rules.votes_in).
_ANSWERS_FOR = "_answers_for"


def answers_for_one(user: User, vote: object) -> bool | None:
    """Whether this account answers for one of the vote's meeting's invitations, as
    `invitations_for_voter` read it in this request; None when it did not."""
    noted = getattr(vote, "__dict__", {}).get(_ANSWERS_FOR, {})
    return noted.get(user.pk)


def invitations_for_voter(user: User, vote: Vote, *, roll: bool = False) -> list[Invitation]:
    """The invitations of the vote's meeting this account answers for, each with `has_voted`
    and, for a named vote, `chosen`; with `roll`, the roll's marks that a cast checks
    (services.is_eligible), which the ballots do not show. Each phone asks it on its ballot page
    and its cast, 500 at once in a hall: the ballots cast come with the invitations (EXISTS),
    and the choices are read only when one of them voted, so that a phone's page before its
    ballot makes one query and two at most after it, its cast one more for the marks."""
    rows = kept_rows(
        "voting.voter_invitations",
        _voter_invitations,
        user,
        timezone.now(),
        ids={"meeting_id": vote.meeting_id, "vote_id": vote.pk},
    )
    # What the rules of seeing the meeting and of casting would each read again: noted.
    vote.__dict__.setdefault(_ANSWERS_FOR, {})[user.pk] = bool(rows)
    if rows:
        note_reached(user, vote.meeting)
    invitations = [i for i in rows if answers_for_invitation(user, i)]
    if roll:
        read_roll(invitations)
    mine: dict[int, list[int]] = {}
    voted = [i.pk for i in invitations if i.has_voted]  # type: ignore[attr-defined]
    if voted and not vote.is_secret:
        for invitation_id, option_id in Choice.objects.filter(
            vote=vote, invitation__in=voted
        ).values_list("invitation_id", "option_id"):
            mine.setdefault(invitation_id, []).append(option_id)
    for invitation in invitations:
        invitation.chosen = mine.get(invitation.pk, [])  # type: ignore[attr-defined]
    return invitations


# ---- the room's screen (contract with the app `room`) ------------------------------------------


def screen_vote(meeting: Meeting) -> Vote | None:
    """The open vote, else the one closed most recently within the last 10 minutes."""
    open_vote = (
        Vote.objects.filter(meeting=meeting, status=Vote.Status.OPEN).order_by("-opened_at").first()
    )
    if open_vote is not None:
        return open_vote
    return (
        Vote.objects.filter(
            meeting=meeting,
            status=Vote.Status.CLOSED,
            closed_at__gte=timezone.now() - SCREEN_KEEPS_RESULT,
        )
        .order_by("-closed_at", "-id")
        .first()
    )


def screen_context(meeting: Meeting) -> dict:
    """For `voting/_screen.html`: {"vote": Vote | None, "result": Result | None}. A secret
    vote shows how many voted until it closes; a named one its live counts."""
    vote = screen_vote(meeting)
    if vote is None:
        return {"vote": None, "result": None}
    return {"vote": vote, "result": result_for(vote)}


# ---- the to-do list (portal) -------------------------------------------------------------------


def to_cast(user: User, now: datetime) -> QuerySet[Vote]:
    """Votes open now in a running meeting where one of the invitations this account answers
    for (voting.cast_vote) may still vote: it has not voted, and it is present when the vote
    counts those present (voting.services checks the same when the ballot comes)."""
    if not user.is_authenticated:
        return Vote.objects.none()
    mine = Invitation.objects.filter(answered_by(user), meeting_id=OuterRef("meeting_id")).exclude(
        Exists(
            Participation.objects.filter(
                vote_id=OuterRef(OuterRef("pk")), invitation_id=OuterRef("pk")
            )
        )
    )
    return Vote.objects.alias(
        has_voter=Exists(mine),
        has_present_voter=Exists(mine.filter(presences__status__in=present_statuses())),
    ).filter(
        Q(electorate=Vote.Electorate.INVITED, has_voter=True) | Q(has_present_voter=True),
        Q(closes_at__isnull=True) | Q(closes_at__gt=now),
        status=Vote.Status.OPEN,
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__deleted_at__isnull=True,
    )


def _todo_rows(user: User, now: datetime) -> QuerySet[Vote]:
    return to_cast(user, now).select_related("meeting").order_by("-opened_at", "-id")[:TODO_LIMIT]


def todo_items(user: User, now: datetime) -> list[TodoItem]:
    """The to-do rows of the votes this account may cast now (one query)."""
    rows = kept_rows("voting.todo", _todo_rows, user, now)
    return [
        TodoItem(
            kind="vote_cast",
            action=_("Biểu quyết"),
            title=vote.question,
            about=vote.meeting.title,
            url=link("voting:detail", vote.pk),
            due=vote.closes_at,
            since=vote.opened_at,
            priority=2,
        )
        for vote in rows
    ]
