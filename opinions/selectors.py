"""Reads for the written-opinion pages, the summary's exports and the statistics, each in a fixed
number of queries whatever the number of requests, recipients or answers."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.kept import kept_rows
from accounts.letterhead import invitee_with_unit
from accounts.models import User
from accounts.rules import ANSWERS_NOTHING, answered_by
from core.links import link
from core.todo import TODO_LIMIT, TodoItem

from .models import Answer, AnswerChange, Choice, OpinionRequest, Question, Recipient


def sent_by_unit(user: User) -> QuerySet[OpinionRequest]:
    """The requests of the user's unit, newest first, with their figures (one query a page)."""
    return (
        OpinionRequest.objects.filter(organiser_unit_id=user.unit_id)
        .annotate(
            recipient_count=Count("recipients", distinct=True),
            answered_count=Count(
                "recipients", filter=Q(recipients__answered_at__isnull=False), distinct=True
            ),
        )
        .order_by("-created_at", "-id")
    )


def waiting_for(
    user: User, *, pending_only: bool = False, now: datetime | None = None
) -> QuerySet[Recipient]:
    """The sent or closed requests the user answers for (as a unit's leader or clerk, a
    committee's account or the person), as of `now` (by default the present)."""
    rows = Recipient.objects.filter(answered_by(user)).filter(
        request__status__in=[OpinionRequest.Status.SENT, OpinionRequest.Status.CLOSED]
    )
    if pending_only:
        rows = rows.filter(answered_at__isnull=True, request__status=OpinionRequest.Status.SENT)
    # Those still taking answers first, nearest deadline first; then the others, latest first.
    still_open = Q(
        request__status=OpinionRequest.Status.SENT, request__deadline__gt=now or timezone.now()
    )
    return (
        rows.select_related("request", "request__organiser_unit", "unit", "committee", "person")
        .annotate(still_open=Case(When(still_open, then=Value(0)), default=Value(1)))
        .order_by(
            "still_open",
            Case(When(still_open, then=F("request__deadline"))).asc(nulls_last=True),
            F("request__deadline").desc(),
            "id",
        )
    )


def waiting_count(user: User, now: datetime) -> int:
    return (
        Recipient.objects.filter(answered_by(user))
        .filter(
            request__status=OpinionRequest.Status.SENT,
            request__deadline__gt=now,
            answered_at__isnull=True,
        )
        .count()
    )


def recipients_for(user: User, request: OpinionRequest) -> list[Recipient]:
    """The request's recipients this user answers for (usually one), with their answers."""
    return list(
        Recipient.objects.filter(answered_by(user), request=request)
        .select_related("unit", "committee", "person", "answered_by")
        .prefetch_related("answers")
    )


def history_of(recipients: list[Recipient]) -> list[AnswerChange]:
    return list(
        AnswerChange.objects.filter(recipient__in=recipients)
        .select_related("question", "by", "recipient__unit", "recipient__committee")
        .select_related("recipient__person")
        .order_by("-at", "-id")
    )


# ---- the summary -------------------------------------------------------------------------------

# The answer kinds the summary lists, in its order: agree, agree with words, disagree, another
# opinion, and no answer.
KINDS = ("agree", "agree_comment", "disagree", "other", "none")


@dataclass
class Reply:
    """One recipient's answer to one question: who (as a document names them) and their words."""

    name: str
    comment: str = ""


@dataclass
class QuestionSummary:
    question: Question
    # Every kind of KINDS, each with its replies in the order the recipients were asked.
    by_kind: dict[str, list[Reply]]

    def count(self, kind: str) -> int:
        return len(self.by_kind[kind])


@dataclass
class Summary:
    request: OpinionRequest
    questions: list[QuestionSummary]
    recipients: int
    answered: int
    # Not closed and before the deadline: the silent have not answered *yet*.
    still_open: bool
    signer_title: str
    signer_name: str

    @property
    def missing(self) -> int:
        return self.recipients - self.answered


def _kind(answer: Answer | None) -> str:
    if answer is None:
        return "none"
    if answer.choice == Choice.AGREE:
        return "agree_comment" if answer.comment else "agree"
    return "disagree" if answer.choice == Choice.DISAGREE else "other"


def summary_signer(request: OpinionRequest) -> tuple[str, str]:
    """Who signs the summary (title, name): whom the asking unit named, else its leader (the
    first of its leaders' accounts by name; the title is their position), else nobody."""
    if request.summary_signer_title or request.summary_signer_name:
        return request.summary_signer_title, request.summary_signer_name
    leader = (
        User.objects.filter(
            is_active=True, role=User.Role.UNIT_LEADER, unit_id=request.organiser_unit_id
        )
        .select_related("person")
        .order_by("full_name", "username")
        .first()
    )
    if leader is None:
        return "", ""
    if leader.person is not None:
        return leader.person.position, leader.person.full_name
    return "", leader.get_full_name()


def summary_for(request: OpinionRequest) -> Summary:
    """For each question, every recipient once, under the kind of answer it gave (with its
    words), or under "none". Four queries at most, whatever the number of recipients."""
    questions = list(Question.objects.filter(request=request).order_by("position"))
    recipients = list(
        Recipient.objects.filter(request=request)
        .select_related("unit", "committee", "person__unit")
        .order_by("id")
    )
    answers = {
        (a.recipient_id, a.question_id): a
        for a in Answer.objects.filter(recipient__request=request).only(
            "recipient_id", "question_id", "choice", "comment"
        )
    }
    names = {r.pk: invitee_with_unit(r.unit or r.committee or r.person) for r in recipients}
    rows = []
    for question in questions:
        by_kind: dict[str, list[Reply]] = {kind: [] for kind in KINDS}
        for recipient in recipients:
            answer = answers.get((recipient.pk, question.pk))
            by_kind[_kind(answer)].append(
                Reply(name=names[recipient.pk], comment=answer.comment if answer else "")
            )
        rows.append(QuestionSummary(question=question, by_kind=by_kind))
    title, name = summary_signer(request)
    return Summary(
        request=request,
        questions=rows,
        recipients=len(recipients),
        answered=sum(1 for r in recipients if r.answered_at is not None),
        still_open=request.status != OpinionRequest.Status.CLOSED
        and not request.is_past_deadline(),
        signer_title=title,
        signer_name=name,
    )


# ---- statistics (reports) ----------------------------------------------------------------------


@dataclass
class UnitFigures:
    unit_id: int
    received: int
    on_time: int

    @property
    def not_answered(self) -> int:
        return self.received - self.on_time


def figures_per_unit(
    start: datetime, end: datetime, unit_ids: list[int] | None = None
) -> dict[int, UnitFigures]:
    """Per unit addressed: requests received (sent, with a deadline in [start, end)), answered on
    time (answered by the deadline: later answers are refused, so any answer counts) and late or
    not answered (the rest: the deadline passed, or the request was closed, without an answer;
    a request still open counts as not answered yet). One query."""
    rows = Recipient.objects.filter(
        unit__isnull=False,
        request__status__in=[OpinionRequest.Status.SENT, OpinionRequest.Status.CLOSED],
        request__deadline__gte=start,
        request__deadline__lt=end,
    )
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    counted = rows.values("unit_id").annotate(
        received=Count("id"),
        on_time=Count("id", filter=Q(answered_at__isnull=False)),
    )
    return {
        r["unit_id"]: UnitFigures(
            unit_id=r["unit_id"], received=r["received"], on_time=r["on_time"]
        )
        for r in counted
    }


def sees_any(user: User) -> QuerySet[OpinionRequest]:
    """Not drafts: requests with a recipient this user answers for (for the dashboard)."""
    mine = Recipient.objects.filter(answered_by(user), request=OuterRef("pk"))
    return OpinionRequest.objects.exclude(status=OpinionRequest.Status.DRAFT).filter(Exists(mine))


# ---- the to-do list (portal) -------------------------------------------------------------------


def to_answer(user: User, now: datetime) -> QuerySet[Recipient]:
    """The recipients this account answers for whose request is sent, not answered yet and still
    taking answers (the same as `waiting_count`)."""
    reach = answered_by(user)
    if reach == ANSWERS_NOTHING:
        return Recipient.objects.none()
    return Recipient.objects.filter(reach).filter(
        request__status=OpinionRequest.Status.SENT,
        request__deadline__gt=now,
        answered_at__isnull=True,
    )


def _todo_rows(user: User, now: datetime) -> QuerySet[Recipient]:
    return (
        to_answer(user, now)
        .select_related("request", "request__organiser_unit", "unit", "committee", "person")
        .order_by("request__deadline", "id")[:TODO_LIMIT]
    )


def todo_items(user: User, now: datetime) -> list[TodoItem]:
    """The to-do rows of the written-opinion requests to answer (one query)."""
    rows = kept_rows("opinions.todo", _todo_rows, user, now)
    return [
        TodoItem(
            kind="opinion_answer",
            action=_("Trả lời phiếu lấy ý kiến"),
            title=row.request.title,
            about=_("%(unit)s hỏi ý kiến %(whom)s")
            % {"unit": row.request.organiser_unit.name, "whom": row},
            url=link("opinions:detail", row.request_id) + f"#answer-{row.pk}",
            due=row.request.deadline,
            since=row.request.sent_at,
        )
        for row in rows
    ]
