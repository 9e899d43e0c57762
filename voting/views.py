"""Vote pages (B6): the meeting's votes, opening one, the phone ballot, the live count, closing,
the result's PDF. Load -> check access -> act; writes in voting.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.http import polled
from core.kept_parts import kept_part, part_key
from core.polling import Watch
from meetings import polling as polls
from meetings.models import Invitation, Meeting
from meetings.shortcuts import meeting_for

from . import exporting, selectors, services
from .forms import VoteForm
from .models import Option, Vote

# How often a phone waiting on the list of votes looks for a new one: a few seconds' wait after
# the chair opens a vote, and an empty 304 otherwise (500 phones make 50 requests a second).
LIST_POLL_SECONDS = 10
# How often a phone on an open vote's page (having voted, or watching) looks for its result: a
# few seconds after the chair closes it, and an empty 304 from the cache meanwhile (500 phones
# make 100 requests a second, about a thirtieth of what the app servers answer of those).
OUTCOME_POLL_SECONDS = 5


def _vote(
    request: AuthenticatedHttpRequest,
    pk: int,
    perm: str = "voting.view_vote",
    *,
    found: Vote | None = None,
) -> Vote:
    """A vote of a meeting the user sees (else 404), then the action's rule (else 403). A request
    that acts on a vote past its set time closes it first (the queue closes it on time too; a page
    that only reads never writes). `found`: the vote, read by the caller."""
    vote = found or selectors.vote_for(request.user, pk)
    if vote is None or not request.user.has_perm("voting.view_vote", vote):
        raise Http404  # one the account may not open is not there for it (core.shortcuts)
    if (
        request.method == "POST"
        and vote.is_open
        and vote.closes_at is not None
        and vote.closes_at <= timezone.now()
    ):
        vote = services.vote_close(vote=vote, by=None)
    if perm != "voting.view_vote" and not request.user.has_perm(perm, vote):
        raise PermissionDenied
    return vote


def _list_meeting(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    return meeting_for(request, pk, "voting.view_votes")


def _list_watch(request: AuthenticatedHttpRequest, meeting: Meeting) -> Watch:
    """The list changes for its reader with the votes there are and their state (not with each
    ballot), the reader and the language: a waiting phone's poll is an empty 304 until a vote
    opens or closes."""
    return polls.watch(request, meeting, "votes", part="list")


@require_GET
@login_required
@polled(load=_list_meeting, watch=_list_watch)
def vote_list(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    votes = list(selectors.votes_of(meeting))
    return render(
        request,
        "voting/list.html",
        {
            "meeting": meeting,
            "votes": votes,
            "may_open": request.user.has_perm("voting.open_vote", meeting),
            # Waiting for a vote to open: the list looks again by itself, every few seconds.
            "waiting": meeting.phase == meeting.Phase.IN_PROGRESS
            and not any(v.is_open for v in votes),
            "poll_seconds": LIST_POLL_SECONDS,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def vote_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "voting.view_votes")
    if not request.user.has_perm("voting.open_vote", meeting):
        raise PermissionDenied
    form = VoteForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                vote = services.vote_open(
                    meeting=meeting,
                    by=request.user,
                    question=data["question"],
                    options=form.option_labels(),
                    max_choices=data["max_choices"],
                    is_secret=data["is_secret"],
                    electorate=data["electorate"],
                    may_change=data["may_change"],
                    closes_at=data["closes_at"],
                    agenda_item=data["agenda_item"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã mở biểu quyết."))
                return redirect("voting:detail", pk=vote.pk)
        status = 400
    return render(request, "voting/create.html", {"meeting": meeting, "form": form}, status=status)


def _ballot(
    request: AuthenticatedHttpRequest, pk: int, perm: str, *, roll: bool = False
) -> tuple[Vote, list[Invitation]]:
    """The vote as `_vote` gives it, and the invitations the account answers for in it
    (selectors.invitations_for_voter), read first: the rules of seeing the meeting and of
    casting then take from them what they would each ask the database again. One phone's ballot
    page and cast, 500 at once in a hall."""
    vote = selectors.vote_for(request.user, pk)
    if vote is None:
        raise Http404
    mine = selectors.invitations_for_voter(request.user, vote, roll=roll)
    checked = _vote(request, pk, perm, found=vote)
    if checked is not vote:  # closed on its time by this request: read again
        mine = selectors.invitations_for_voter(request.user, checked, roll=roll)
    return checked, mine


def _named_section(request: AuthenticatedHttpRequest, vote: Vote) -> str:
    """The closed vote's named list (voting/_named.html; empty for a secret vote), the same for
    every reader who may see the results: kept once for them all while nothing is written
    (core.kept_parts). When the secretary closes a vote in the hall, the members' phones open
    its result together, and the list of 500 names read and written for each was most of each
    page (about 45 of its 55 ms of Python)."""
    key = part_key("voting:named", "all", timezone.now(), vote.pk)
    return kept_part(
        request,
        key,
        lambda: render_to_string("voting/_named.html", {"named": selectors.named_list(vote)}),
    )


def _outcome_context(
    request: AuthenticatedHttpRequest, vote: Vote, options: list[Option] | None = None
) -> dict:
    """What voting/_outcome.html shows: the result for whoever may see it, the named list once
    closed, the PDF; for a reader waiting on an open vote, the poll that brings the result."""
    user = request.user
    may_results = user.has_perm("voting.view_results", vote)
    return {
        "vote": vote,
        "may_manage": user.has_perm("voting.close_vote", vote),
        "result": selectors.result_for(vote, options) if may_results else None,
        "named": _named_section(request, vote) if may_results and not vote.is_open else "",
        "may_export": user.has_perm("voting.export_results", vote),
        "poll_seconds": OUTCOME_POLL_SECONDS,
    }


def _detail_context(
    request: AuthenticatedHttpRequest, vote: Vote, mine: list[Invitation] | None = None
) -> dict:
    user = request.user
    options = selectors.options_of(vote)
    return {
        **_outcome_context(request, vote, options),
        "meeting": vote.meeting,
        "options": options,
        "ballots": selectors.invitations_for_voter(user, vote) if mine is None else mine,
    }


@require_GET
@login_required
def vote_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vote, mine = _ballot(request, pk, "voting.view_vote")
    return render(request, "voting/detail.html", _detail_context(request, vote, mine))


def _ints(values: list[str]) -> list[int] | None:
    try:
        return [int(v) for v in values]
    except (TypeError, ValueError):
        return None


@require_POST
@login_required
def vote_cast(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # With the roll, read once: the cast checks the invitation's presence from it, and the
    # answer shows these ballots again. The options too: the cast checks the choice against
    # them, the answer shows them.
    vote, ballots = _ballot(request, pk, "voting.cast_vote", roll=True)
    user: User = request.user
    invitation_ids = _ints([request.POST.get("invitation", "")])
    option_ids = _ints(request.POST.getlist("option"))
    mine = {i.pk: i for i in ballots}
    options = selectors.options_of(vote)
    error = None
    if not invitation_ids or invitation_ids[0] not in mine:
        error = _("Bạn không biểu quyết thay cho thành phần này; hãy tải lại trang.")
    elif option_ids is None:
        error = _("Phương án đã chọn không thuộc biểu quyết này; hãy tải lại trang và chọn lại.")
    else:
        try:
            services.vote_cast(
                vote=vote,
                invitation=mine[invitation_ids[0]],
                by=user,
                option_ids=option_ids,
                options=options,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            selectors.mark_cast(mine[invitation_ids[0]], vote, option_ids)
    accepted = _("Đã ghi nhận phiếu biểu quyết.")
    if request.headers.get("HX-Request"):
        # Sent by the phone's page through htmx: the ballots alone, with the outcome, in place. One
        # request per ballot instead of a redirect and a whole page (see scripts/bench_votes.py).
        response = render(
            request,
            "voting/_ballots.html",
            {
                "vote": vote,
                "options": options,
                # Refused: as they are now (another device may have voted meanwhile).
                "ballots": selectors.invitations_for_voter(user, vote)
                if error
                else list(mine.values()),
                "cast_message": error or accepted,
                "cast_refused": bool(error),
            },
        )
        patch_cache_control(response, private=True, no_cache=True)
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, accepted)
    return redirect("voting:detail", pk=vote.pk)


@require_POST
@login_required
def vote_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vote = _vote(request, pk, "voting.close_vote")
    was_open = vote.is_open
    vote = services.vote_close(vote=vote, by=request.user)
    if was_open:
        messages.success(request, _("Đã kết thúc biểu quyết; kết quả đã ghi vào lịch sử cuộc họp."))
    else:
        messages.info(request, _("Biểu quyết đã kết thúc trước đó."))
    return redirect("voting:detail", pk=vote.pk)


def _live_vote(request: AuthenticatedHttpRequest, pk: int) -> Vote:
    return _vote(request, pk, "voting.view_live")


def _live_watch(request: AuthenticatedHttpRequest, vote: Vote) -> Watch:
    return polls.watch(request, vote.meeting, "votes", "ballots", "roll", part=f"live{vote.pk}")


@require_GET
@login_required
@polled(load=_live_vote, watch=_live_watch)
def vote_live(request: AuthenticatedHttpRequest, vote: Vote) -> HttpResponse:
    """The count alone, polled every 2 seconds by the chair's page; an empty 304 when nothing
    changed. A secret vote shows how many voted until it closes, never live tallies."""
    return render(
        request, "voting/_live.html", {"vote": vote, "result": selectors.result_for(vote)}
    )


def _outcome_vote(request: AuthenticatedHttpRequest, pk: int) -> Vote:
    return _vote(request, pk, "voting.view_vote")


def _outcome_watch(request: AuthenticatedHttpRequest, vote: Vote) -> Watch:
    """The result changes for a reader waiting on it when a vote of the meeting opens or closes
    (not with each ballot), with the reader and the language."""
    return polls.watch(request, vote.meeting, "votes", part=f"outcome{vote.pk}")


@require_GET
@login_required
@polled(load=_outcome_vote, watch=_outcome_watch)
def vote_outcome(request: AuthenticatedHttpRequest, vote: Vote) -> HttpResponse:
    """The vote page's result part, polled by the page of a reader who cannot follow the live
    count (a member who has voted, waiting): an empty 304 while the vote is open, the result and
    the named list once the chair closes it."""
    if vote.is_open:
        return render(request, "voting/_outcome.html", _outcome_context(request, vote))
    # Closed: the reader's ballots too, in place of the page's (htmx's out-of-band swap), so that
    # no ballot form is left to send.
    options = selectors.options_of(vote)
    context = _outcome_context(request, vote, options) | {
        "options": options,
        "ballots": selectors.invitations_for_voter(request.user, vote),
        "oob": True,
    }
    return render(request, "voting/_outcome.html", context)


@require_GET
@login_required
def vote_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vote = _vote(request, pk, "voting.export_results")
    pdf = exporting.results_pdf(vote)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = (slugify(vote.question, allow_unicode=True)[:60] or "bieu-quyet") + "-ket-qua.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response
