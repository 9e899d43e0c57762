"""Every write on written-opinion requests (B13): the draft, sending, answers, closing, reminders.

Answers: the recipient's row is locked (FOR UPDATE) while its answers are written, so two devices
answering for one unit at once write one after the other; an unchanged answer writes nothing
(a double submit is harmless); each real change is kept in AnswerChange with what it replaced.
The deadline is checked on the request's row as it is in the database when the answer arrives.
Notifications go through notifications.services.notify inside the same transaction."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Committee, Person, Unit, User
from documents.filetypes import check_upload, clean_filename
from documents.services import _sha256
from documents.storage import storing
from notifications.services import Invited, notify

from .models import (
    MAX_COMMENT_LENGTH,
    MAX_FILES,
    MAX_QUESTION_LENGTH,
    MAX_QUESTIONS,
    Answer,
    AnswerChange,
    Attachment,
    Choice,
    OpinionRequest,
    Question,
    Recipient,
)

# The reminder goes this long before the deadline, to those who have not answered, once.
REMIND_BEFORE = timedelta(hours=getattr(settings, "OPINION_REMIND_HOURS", 24))


def deadline_text(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "H:i d/m/Y")


@dataclass
class Addressees:
    units: Sequence[Unit] = ()
    committees: Sequence[Committee] = ()
    persons: Sequence[Person] = ()

    def __bool__(self) -> bool:
        return bool(self.units or self.committees or self.persons)


def clean_questions(lines: Iterable[str]) -> list[str]:
    questions = [" ".join(line.split()) for line in lines]
    questions = [q for q in questions if q]
    if not questions:
        raise ValidationError(_("Hãy nhập ít nhất một nội dung xin ý kiến."), code="questions")
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(
            _("Nhiều nhất %(limit)s nội dung xin ý kiến (đang có %(count)s)."),
            params={"limit": MAX_QUESTIONS, "count": len(questions)},
            code="questions",
        )
    for question in questions:
        if len(question) > MAX_QUESTION_LENGTH:
            raise ValidationError(
                _("Mỗi nội dung xin ý kiến dài tối đa %(limit)s ký tự."),
                params={"limit": MAX_QUESTION_LENGTH},
                code="questions",
            )
    return questions


def _check_deadline(deadline: datetime) -> None:
    if deadline <= timezone.now():
        raise ValidationError(_("Hạn trả lời phải ở tương lai."), code="deadline")


def _check_files(request: OpinionRequest | None, files: Sequence[UploadedFile]) -> list[dict]:
    """Checks every file before anything is written: one bad file refuses the whole save and the
    message names it, so nothing is half stored."""
    existing = request.attachments.count() if request is not None and request.pk else 0
    if existing + len(files) > MAX_FILES:
        raise ValidationError(
            _("Mỗi phiếu kèm tối đa %(limit)s tệp."), params={"limit": MAX_FILES}, code="files"
        )
    checked = []
    for uploaded in files:
        checked.append(
            {
                "uploaded": uploaded,
                "file_type": check_upload(uploaded),
                "file_name": clean_filename(uploaded.name or ""),
                "file_size": uploaded.size or 0,
                "file_sha256": _sha256(uploaded),
            }
        )
    return checked


def _store_files(request: OpinionRequest, by: User, checked: list[dict]) -> None:
    for item in checked:
        attachment = Attachment(
            request=request,
            uploaded_by=by,
            file_name=item["file_name"],
            file_type=item["file_type"],
            file_size=item["file_size"],
            file_sha256=item["file_sha256"],
        )
        with storing():
            attachment.file.save(item["file_name"], item["uploaded"], save=False)
        attachment.save()


def _set_recipients(request: OpinionRequest, addressees: Addressees) -> None:
    Recipient.objects.filter(request=request).delete()
    Recipient.objects.bulk_create(
        [Recipient(request=request, unit=u) for u in dict.fromkeys(addressees.units)]
        + [Recipient(request=request, committee=c) for c in dict.fromkeys(addressees.committees)]
        + [Recipient(request=request, person=p) for p in dict.fromkeys(addressees.persons)]
    )


def _set_questions(request: OpinionRequest, questions: list[str]) -> None:
    Question.objects.filter(request=request).delete()
    Question.objects.bulk_create(
        Question(request=request, position=n, text=text) for n, text in enumerate(questions, 1)
    )


@transaction.atomic
def request_create(
    *,
    by: User,
    title: str,
    description: str,
    deadline: datetime,
    questions: Iterable[str],
    addressees: Addressees,
    files: Sequence[UploadedFile] = (),
) -> OpinionRequest:
    if by.unit_id is None:
        raise ValidationError(_("Tài khoản chưa thuộc đơn vị nào."), code="unit")
    cleaned = clean_questions(questions)
    _check_deadline(deadline)
    checked = _check_files(None, files)
    request = OpinionRequest(
        title=" ".join(title.split()),
        description=description.strip(),
        deadline=deadline,
        organiser_unit_id=by.unit_id,
        created_by=by,
    )
    request.full_clean()
    request.save()
    _set_questions(request, cleaned)
    _set_recipients(request, addressees)
    _store_files(request, by, checked)
    return request


@transaction.atomic
def request_edit(
    *,
    request: OpinionRequest,
    by: User,
    revision: int | None,
    title: str,
    description: str,
    deadline: datetime,
    questions: Iterable[str],
    addressees: Addressees,
    files: Sequence[UploadedFile] = (),
) -> OpinionRequest:
    locked = OpinionRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_draft:
        raise ValidationError(_("Phiếu đã gửi đi; không sửa được nữa."), code="sent")
    if revision is not None and revision != locked.revision:
        raise ValidationError(
            _(
                "Phiếu vừa được người khác sửa sau khi bạn mở trang; hãy tải lại trang và sửa lại "
                "(nội dung bạn nhập vẫn còn trong ô bên dưới)."
            ),
            code="stale",
        )
    cleaned = clean_questions(questions)
    _check_deadline(deadline)
    checked = _check_files(locked, files)
    locked.title = " ".join(title.split())
    locked.description = description.strip()
    locked.deadline = deadline
    locked.revision += 1
    locked.full_clean()
    locked.save()
    _set_questions(locked, cleaned)
    _set_recipients(locked, addressees)
    _store_files(locked, by, checked)
    return locked


def _link(request: OpinionRequest) -> str:
    return reverse("opinions:detail", args=[request.pk])


def _invited(recipients: Iterable[Recipient]) -> Invited:
    ids = Invited()
    for recipient in recipients:
        if recipient.unit_id:
            ids.units.add(recipient.unit_id)
        elif recipient.committee_id:
            ids.committees.add(recipient.committee_id)
        elif recipient.person_id:
            ids.persons.add(recipient.person_id)
    return ids


def _answering(invited: Invited) -> Q:
    """The accounts that answer for these recipients (accounts.rules.answers_for_invitation): a
    unit's leader or clerk, a committee's account, the person's; a unit's other staff are not
    told of a request they cannot open."""
    return (
        Q(unit_id__in=invited.units, role__in=[User.Role.UNIT_LEADER, User.Role.UNIT_CLERK])
        | Q(committee_id__in=invited.committees)
        | Q(person_id__in=invited.persons)
    )


@transaction.atomic
def request_send(*, request: OpinionRequest, by: User) -> OpinionRequest:
    """Sends the draft to its recipients (inbox and e-mail); sending twice is harmless."""
    locked = OpinionRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_draft:
        return locked
    recipients = list(Recipient.objects.filter(request=locked))
    if not recipients:
        raise ValidationError(_("Hãy chọn ít nhất một nơi được lấy ý kiến."), code="recipients")
    if not Question.objects.filter(request=locked).exists():
        raise ValidationError(_("Hãy nhập ít nhất một nội dung xin ý kiến."), code="questions")
    if locked.is_past_deadline():
        raise ValidationError(
            _("Hạn trả lời (%(deadline)s) đã qua; hãy sửa hạn trước khi gửi."),
            params={"deadline": deadline_text(locked.deadline)},
            code="deadline",
        )
    locked.status = OpinionRequest.Status.SENT
    locked.sent_at = timezone.now()
    locked.sent_by = by
    locked.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
    invited = _invited(recipients)
    with override(settings.LANGUAGE_CODE):
        notify(
            invited,
            title=_("Phiếu lấy ý kiến: %(title)s") % {"title": locked.title},
            body=_("%(unit)s đề nghị cho ý kiến trước %(deadline)s.")
            % {"unit": locked.organiser_unit.name, "deadline": deadline_text(locked.deadline)},
            link=_link(locked),
            exclude_user=by.pk,
            accounts=_answering(invited),
        )
    return locked


@transaction.atomic
def request_close(*, request: OpinionRequest, by: User) -> OpinionRequest:
    """Stops taking answers (before the deadline, or to mark the consultation done); closing
    twice is harmless."""
    locked = OpinionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != OpinionRequest.Status.SENT:
        return locked
    locked.status = OpinionRequest.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    return locked


@transaction.atomic
def summary_signer_set(
    *, request: OpinionRequest, by: User, title: str, name: str
) -> OpinionRequest:
    """Names who signs the request's summary; both empty: the asking unit's leader signs
    (selectors.summary_for). The audit log keeps the change with `by` as its actor."""
    locked = OpinionRequest.objects.select_for_update().get(pk=request.pk)
    locked.summary_signer_title = " ".join(title.split())
    locked.summary_signer_name = " ".join(name.split())
    locked.full_clean()
    with set_actor(by):
        locked.save(update_fields=["summary_signer_title", "summary_signer_name", "updated_at"])
    return locked


@dataclass
class Given:
    """One question's answer as submitted."""

    question_id: int
    choice: str
    comment: str = ""


def _check_answers(questions: list[Question], given: Sequence[Given]) -> dict[int, Given]:
    by_question = {g.question_id: g for g in given}
    unknown = set(by_question) - {q.pk for q in questions}
    if unknown:
        raise ValidationError(
            _("Phiếu đã thay đổi sau khi bạn mở trang; hãy tải lại trang."), code="stale"
        )
    for question in questions:
        answer = by_question.get(question.pk)
        if answer is None or answer.choice not in Choice.values:
            raise ValidationError(
                _("Hãy cho ý kiến về nội dung %(n)s."),
                params={"n": question.position},
                code="missing",
            )
        answer.comment = answer.comment.strip()
        if answer.choice == Choice.OTHER and not answer.comment:
            raise ValidationError(
                _("Nội dung %(n)s: chọn “Ý kiến khác” thì hãy ghi rõ ý kiến."),
                params={"n": question.position},
                code="comment",
            )
        if len(answer.comment) > MAX_COMMENT_LENGTH:
            raise ValidationError(
                _("Nội dung %(n)s: ý kiến dài tối đa %(limit)s ký tự."),
                params={"n": question.position, "limit": MAX_COMMENT_LENGTH},
                code="comment",
            )
    return by_question


def refusal(request: OpinionRequest, now: datetime | None = None) -> str | None:
    """Why answers are not taken now, in words naming the deadline; None while they are."""
    if request.status == OpinionRequest.Status.CLOSED:
        return _("Phiếu lấy ý kiến đã kết thúc; ý kiến không được ghi nhận.")
    if request.status != OpinionRequest.Status.SENT:
        return _("Phiếu chưa được gửi; chưa nhận ý kiến.")
    if request.is_past_deadline(now):
        return _("Đã hết hạn trả lời lúc %(deadline)s; ý kiến không được ghi nhận.") % {
            "deadline": deadline_text(request.deadline)
        }
    return None


@transaction.atomic
def answer_submit(
    *, recipient: Recipient, by: User, given: Sequence[Given], now: datetime | None = None
) -> int:
    """Writes a recipient's answers to every question; returns how many answers changed (0 for a
    repeated submit). The caller has checked that `by` answers for `recipient`."""
    locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
    request = OpinionRequest.objects.get(pk=locked.request_id)
    now = now or timezone.now()
    reason = refusal(request, now)
    if reason:
        raise ValidationError(reason, code="closed")
    questions = list(Question.objects.filter(request=request).order_by("position"))
    by_question = _check_answers(questions, given)
    current = {a.question_id: a for a in Answer.objects.filter(recipient=locked)}
    changes = []
    for question in questions:
        new = by_question[question.pk]
        old = current.get(question.pk)
        if old is not None and (old.choice, old.comment) == (new.choice, new.comment):
            continue
        changes.append(
            AnswerChange(
                recipient=locked,
                question=question,
                previous_choice=old.choice if old else "",
                previous_comment=old.comment if old else "",
                choice=new.choice,
                comment=new.comment,
                by=by,
                at=now,
            )
        )
        if old is None:
            Answer.objects.create(
                recipient=locked,
                question=question,
                choice=new.choice,
                comment=new.comment,
                by=by,
                at=now,
            )
        else:
            old.choice, old.comment, old.by, old.at = new.choice, new.comment, by, now
            old.save()
    if not changes:
        return 0
    AnswerChange.objects.bulk_create(changes)
    locked.answered_at = locked.answered_at or now
    locked.changed_at = now
    locked.answered_by = by
    locked.save(update_fields=["answered_at", "changed_at", "answered_by"])
    return len(changes)


# ---- reminders ---------------------------------------------------------------------------------


def remind_due(now: datetime | None = None) -> int:
    """One reminder per request, REMIND_BEFORE its deadline, to the recipients that have not
    answered. Each request is claimed with a conditional UPDATE of `reminded_at` (only one
    worker's UPDATE matches the row), so two schedulers never send it twice; a request sent
    after its reminder's moment needs none. Returns how many requests were reminded."""
    now = now or timezone.now()
    due = OpinionRequest.objects.filter(
        status=OpinionRequest.Status.SENT,
        reminded_at__isnull=True,
        deadline__gt=now,
        deadline__lte=now + REMIND_BEFORE,
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(due[:500]):
        with transaction.atomic():
            claimed = OpinionRequest.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue  # another worker has it
            request = OpinionRequest.objects.get(pk=pk)
            if request.sent_at and request.sent_at > request.deadline - REMIND_BEFORE:
                continue  # sent within the last day: the request itself was the reminder
            pending = _invited(Recipient.objects.filter(request=request, answered_at__isnull=True))
            with override(settings.LANGUAGE_CODE):
                try:
                    with transaction.atomic():
                        event = notify(
                            pending,
                            title=_("Nhắc trả lời phiếu lấy ý kiến: %(title)s")
                            % {"title": request.title},
                            body=_("Hạn trả lời: %(deadline)s.")
                            % {"deadline": deadline_text(request.deadline)},
                            link=_link(request),
                            key=f"opinion-reminder:{request.pk}",
                            accounts=_answering(pending),
                        )
                except IntegrityError:  # the key says it went already
                    continue
            if event is not None:
                reminded += 1
    return reminded
