"""Every write on votes (B6): opening, casting, closing.

Locking, so that closing while ballots arrive loses none and counts none late:
- a ballot takes a shared lock on its vote's row (FOR SHARE) and checks, on the row it locked,
  that the vote is open and not past its closing time; ballots do not wait for each other there;
- closing takes the row's exclusive lock (FOR UPDATE): it waits for the ballots in flight to
  commit, then takes the figures; a ballot that comes later waits for the close, then reads
  "closed" and is refused.
A double tap is refused by the unique (vote, invitation) constraint before any tally moves.
"""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.models import Schedule
from django_q.tasks import schedule

from accounts.models import User
from attendance.selectors import invitation_attended, present_statuses
from core import polling
from meetings import polling as polls
from meetings.models import AgendaItem, Invitation, Meeting, MeetingChange

from .models import Choice, Option, Participation, Vote
from .selectors import SCREEN_KEEPS_RESULT

DEFAULT_OPTIONS = ("Đồng ý", "Không đồng ý", "Không biểu quyết")
MAX_OPTIONS = 20


def _record(meeting: Meeting, kind: str, by: User | None, summary: str, details: dict) -> None:
    # The room's history only: nothing is mailed for it (notifications.services sends the kinds
    # it names), and it is marked as handled so that no later dispatch looks at it.
    now = timezone.now()
    MeetingChange.objects.create(
        meeting=meeting, kind=kind, by=by, summary=summary, details=details, notified_at=now
    )


@transaction.atomic
def vote_open(
    *,
    meeting: Meeting,
    by: User,
    question: str,
    options: Sequence[str] = DEFAULT_OPTIONS,
    max_choices: int = 1,
    is_secret: bool = False,
    electorate: str = Vote.Electorate.PRESENT,
    may_change: bool = False,
    closes_at: datetime | None = None,
    agenda_item: AgendaItem | None = None,
) -> Vote:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_running:
        raise ValidationError(
            _("Chỉ mở biểu quyết khi cuộc họp đã phát hành và không bị hoãn, huỷ."), code="meeting"
        )
    question = question.strip()
    labels = [o.strip() for o in options if o.strip()]
    if not question:
        raise ValidationError(_("Hãy nhập nội dung biểu quyết."), code="question")
    if len(labels) < 2:
        raise ValidationError(_("Cần ít nhất hai lựa chọn."), code="options")
    if len(labels) > MAX_OPTIONS:
        raise ValidationError(_("Nhiều nhất %d lựa chọn.") % MAX_OPTIONS, code="options")
    if len({label.casefold() for label in labels}) != len(labels):
        raise ValidationError(_("Các lựa chọn không được trùng nhau."), code="options")
    if not 1 <= max_choices <= len(labels):
        raise ValidationError(
            _("Số lựa chọn tối đa phải từ 1 đến số lựa chọn (%d).") % len(labels), code="max"
        )
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError(_("Thời điểm kết thúc phải ở tương lai."), code="closes_at")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("Nội dung họp không thuộc cuộc họp này."), code="item")
    if electorate not in Vote.Electorate.values:
        raise ValidationError(_("Hãy chọn ai được biểu quyết."), code="electorate")
    vote = Vote(
        meeting=meeting,
        agenda_item=agenda_item,
        question=question,
        is_secret=is_secret,
        max_choices=max_choices,
        electorate=electorate,
        may_change=may_change and not is_secret,
        closes_at=closes_at,
        opened_by=by,
    )
    vote.full_clean()
    vote.save()
    _close_on_time(vote)
    Option.objects.bulk_create(
        Option(vote=vote, position=n, label=label[:200]) for n, label in enumerate(labels, 1)
    )
    _record(
        meeting,
        MeetingChange.Kind.VOTE_OPENED,
        by,
        vote.question,
        {"vote": vote.pk, "secret": is_secret},
    )
    _polls_changed(meeting.pk)
    return vote


def _polls_changed(meeting_id: int, *, closed: bool = False) -> None:
    """A vote opened or closed: the meeting's votes (the list, the screen, the live count, the
    invitees' banners). A closed result leaves the room's screen by itself after a while: its
    version lasts as long."""
    polls.bump(meeting_id, "votes")
    if closed:
        polling.bump(polls.version("shown", meeting_id), lasts=SCREEN_KEEPS_RESULT)


def _lock_shared(vote: Vote) -> Vote:
    """The vote's row as it is now, held against closing until this transaction ends."""
    if connection.vendor == "postgresql":
        return Vote.objects.raw("SELECT * FROM voting_vote WHERE id = %s FOR SHARE", [vote.pk])[0]
    # SQLite runs one writing transaction at a time: the plain read is already consistent.
    return Vote.objects.get(pk=vote.pk)


def refusal_if_closed(vote: Vote, now: datetime | None = None) -> str | None:
    if vote.status != Vote.Status.OPEN:
        return _("Biểu quyết đã kết thúc; phiếu không được ghi nhận.")
    if vote.closes_at is not None and (now or timezone.now()) >= vote.closes_at:
        return _("Đã hết thời gian biểu quyết; phiếu không được ghi nhận.")
    return None


def is_eligible(vote: Vote, invitation: Invitation) -> bool:
    if vote.electorate == Vote.Electorate.INVITED:
        return True
    # At least one of the invitee's people is present: one vote per invitation.
    return invitation_attended(invitation)


def vote_cast(
    *,
    vote: Vote,
    invitation: Invitation,
    by: User,
    option_ids: Sequence[int],
    options: Sequence[Option] | None = None,
) -> None:
    """Casts (or, where the vote allows it, changes) an invitation's ballot. Raises
    ValidationError with the message to show; the caller has checked that `by` answers for
    `invitation`. `options`: the vote's options when the caller read them already (a vote's
    options never change once it is open; only their tallies do)."""
    try:
        with transaction.atomic():
            _cast(vote=vote, invitation=invitation, by=by, option_ids=option_ids, options=options)
    except IntegrityError:
        # The same invitation's ballot committed in between (a double tap, two devices).
        raise ValidationError(
            _("Phiếu của %s đã được ghi nhận trước đó; mỗi thành phần chỉ biểu quyết một lần.")
            % invitation,
            code="duplicate",
        ) from None


def _cast(
    *,
    vote: Vote,
    invitation: Invitation,
    by: User,
    option_ids: Sequence[int],
    options: Sequence[Option] | None,
) -> None:
    if invitation.meeting_id != vote.meeting_id:
        raise ValidationError(_("Thành phần mời không thuộc cuộc họp này."), code="invitation")
    locked = _lock_shared(vote)
    refusal = refusal_if_closed(locked)
    if refusal:
        raise ValidationError(refusal, code="closed")
    if not vote.meeting.is_running:
        raise ValidationError(_("Cuộc họp không còn nhận biểu quyết."), code="meeting")
    if not is_eligible(locked, invitation):
        raise ValidationError(
            _(
                "Chỉ thành phần có mặt (theo điểm danh) được biểu quyết; "
                "%s chưa được điểm danh có mặt."
            )
            % invitation,
            code="absent",
        )
    chosen = sorted(set(option_ids))
    if not chosen:
        raise ValidationError(_("Hãy chọn một phương án."), code="empty")
    if len(chosen) > locked.max_choices:
        raise ValidationError(
            _("Chỉ được chọn tối đa %d phương án.") % locked.max_choices, code="too_many"
        )
    if options is None:
        known = set(Option.objects.filter(vote=locked).order_by().values_list("pk", flat=True))
    else:
        known = {o.pk for o in options if o.vote_id == locked.pk}
    if not set(chosen) <= known:
        raise ValidationError(
            _("Phương án đã chọn không thuộc biểu quyết này; hãy tải lại trang và chọn lại."),
            code="option",
        )
    previous = _previous_choices(locked, invitation)
    if previous is None:
        # A second ballot of the same invitation fails here (the unique constraint), before any
        # tally moves; a vote that may not be changed does not look for the first one.
        Participation.objects.create(vote=locked, invitation=invitation)
        previous = []
    elif sorted(previous) == chosen:
        return
    else:
        Choice.objects.filter(vote=locked, invitation=invitation).delete()
    if not locked.is_secret:
        Choice.objects.bulk_create(
            Choice(vote=locked, invitation=invitation, option_id=pk, by=by) for pk in chosen
        )
    # The versions are written now and again at commit (core.polling): before the tallies, so
    # that nothing but the commit follows their lock. The screen's and the banners' at once.
    polls.bump_calls([invitation], also=[polls.version("ballots", locked.meeting_id)])
    _count(locked, chosen, previous)


def _count(vote: Vote, chosen: list[int], previous: list[int]) -> None:
    """Moves the tallies, the ballot's last statement before its commit. Every ballot of a vote
    waits here for the one before it to commit, so the rows are locked by the same statement
    that writes them: one round trip between this ballot's turn and its commit, where there were
    five and the cache's writes (500 ballots at once queued behind each other's Python as well
    as their SQL).

    Every option of the vote is written, chosen or not, so that no option row records more than
    another about this transaction. The rows are locked first, in one fixed order, by the
    subquery (a multi-row UPDATE alone may lock them in another order when it rechecks a row
    another ballot just changed, and two ballots would wait for each other)."""
    moves = [(pk, 1) for pk in chosen if pk not in previous]
    moves += [(pk, -1) for pk in previous if pk not in chosen]
    # Written as SQL: compiling the ORM's form of it (a CASE and a locking subquery) was most of
    # this function's time, spent inside the ballot's transaction.
    table = connection.ops.quote_name(Option._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cases = " ".join(f"WHEN %s THEN {step:d}" for _, step in moves)
    delta = f"CASE id {cases} ELSE 0 END" if moves else "0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET tally = tally + {delta} WHERE id IN "  # noqa: S608 (no values)
            f"(SELECT id FROM {table} WHERE vote_id = %s ORDER BY id{lock})",
            [pk for pk, _ in moves] + [vote.pk],
        )


def _previous_choices(vote: Vote, invitation: Invitation) -> list[int] | None:
    """The options the invitation chose before, when the vote lets a ballot change and there is
    one; None when there is none (or the vote is final: the constraint then refuses a second)."""
    if not vote.may_change:
        return None
    existing = (
        Participation.objects.select_for_update()
        .filter(vote=vote, invitation=invitation)
        .values_list("pk", flat=True)
        .first()
    )
    if existing is None:
        return None
    return list(
        Choice.objects.filter(vote=vote, invitation=invitation).values_list("option_id", flat=True)
    )


def present_count(meeting: Meeting) -> int:
    """Invitations with at least one of their people present (a unit counts once)."""
    return (
        Invitation.objects.filter(meeting=meeting, presences__status__in=present_statuses())
        .distinct()
        .count()
    )


@transaction.atomic
def vote_close(*, vote: Vote, by: User | None) -> Vote:
    """Closes the vote (by `by`, or by the clock when `by` is None); closing twice is harmless."""
    locked = Vote.objects.select_for_update().select_related("meeting").get(pk=vote.pk)
    if locked.status != Vote.Status.OPEN:
        return locked
    now = timezone.now()
    locked.status = Vote.Status.CLOSED
    locked.closed_by = by
    # Closed by the clock: the result is as of the set time, whenever somebody noticed.
    locked.closed_at = min(now, locked.closes_at) if by is None and locked.closes_at else now
    locked.final_ballots = Participation.objects.filter(vote=locked).count()
    locked.final_present = present_count(locked.meeting)
    locked.final_invited = Invitation.objects.filter(meeting=locked.meeting_id).count()
    locked.save(
        update_fields=[
            "status",
            "closed_by",
            "closed_at",
            "final_ballots",
            "final_present",
            "final_invited",
        ]
    )
    options = list(Option.objects.filter(vote=locked).order_by("position"))
    counts = "; ".join(f"{o.label}: {o.tally}" for o in options)
    summary = _(
        "%(question)s — %(counts)s (%(ballots)d phiếu / %(present)d có mặt / %(invited)d được mời)"
    ) % {
        "question": locked.question,
        "counts": counts,
        "ballots": locked.final_ballots,
        "present": locked.final_present,
        "invited": locked.final_invited,
    }
    _record(
        locked.meeting,
        MeetingChange.Kind.VOTE_CLOSED,
        by,
        summary,
        # Kept as a mapping: the history shows two-item lists as "before, after" rows.
        {"vote": locked.pk, "result": {o.label: o.tally for o in options}},
    )
    _polls_changed(locked.meeting_id, closed=True)
    return locked


def close_due() -> int:
    """Closes every vote whose set time has passed, as of its set time (closed_at). The task
    queue runs it each minute and once at each vote's set time (`vote_open`); a ballot cast
    after the time is refused meanwhile, and its request closes the vote. Pages only read."""
    due = list(
        Vote.objects.filter(status=Vote.Status.OPEN, closes_at__lte=timezone.now()).values_list(
            "pk", flat=True
        )
    )
    for pk in due:
        vote_close(vote=Vote(pk=pk), by=None)
    return len(due)


def _close_on_time(vote: Vote) -> None:
    """One run of `close_due` at the vote's set time, so that the room sees it close then rather
    than at the next minute's pass."""
    if vote.closes_at is None:
        return
    closes_at = vote.closes_at

    def queue() -> None:
        schedule(
            "voting.services.close_due",
            name=f"voting:close:{vote.pk}",
            schedule_type=Schedule.ONCE,
            next_run=closes_at,
        )

    transaction.on_commit(queue)
