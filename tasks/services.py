"""Every write on conclusion notices and tasks (B12): writing and issuing a notice, reporting on a
task, accepting or returning it, and the reminders. Each runs in one transaction, locks the row it
changes and checks its state on the locked row (a double tap or a stale form changes nothing), and
writes the task's history; the audit log records the rows (tasks.audit); notifications are written
in the same transaction through the notifications app (a lower floor)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Unit, User
from documents.filetypes import check_upload, clean_filename
from documents.storage import storing
from meetings.models import Meeting
from notifications.services import Invited, notify

from .models import Notice, Task, TaskFile, TaskStep

MAX_NOTE_LENGTH = 5000
MAX_FILES = 5
MAX_TASKS = 100
NOTICE_FIELDS = (
    "number",
    "place",
    "issued_on",
    "concluded_by",
    "body",
    "signer_name",
    "signer_title",
    "recipients",
)


@dataclass
class TaskData:
    title: str
    unit: Unit
    deadline: date
    detail: str = ""
    cooperating: Sequence[Unit] = field(default_factory=list)
    pk: int | None = None


def _check_tasks(tasks: Sequence[TaskData]) -> None:
    if len(tasks) > MAX_TASKS:
        raise ValidationError(_("Nhiều nhất %d nhiệm vụ một thông báo.") % MAX_TASKS, code="many")
    for task in tasks:
        if not task.title.strip():
            raise ValidationError(_("Hãy nhập tên nhiệm vụ."), code="title")
        if any(u.pk == task.unit.pk for u in task.cooperating):
            raise ValidationError(
                _("Đơn vị chủ trì “%(unit)s” không đồng thời là đơn vị phối hợp.")
                % {"unit": task.unit.name},
                code="cooperating",
            )


def _save_tasks(notice: Notice, tasks: Sequence[TaskData]) -> None:
    kept: list[int] = []
    for data in tasks:
        task = (
            Task.objects.filter(notice=notice, pk=data.pk).first() if data.pk else None
        ) or Task(notice=notice)
        task.title = data.title.strip()[:500]
        task.detail = data.detail.strip()
        task.unit = data.unit
        task.deadline = data.deadline
        task.full_clean(exclude=["notice"])
        task.save()
        task.cooperating.set(data.cooperating)
        kept.append(task.pk)
    Task.objects.filter(notice=notice).exclude(pk__in=kept).delete()


@transaction.atomic
def notice_create(
    *, meeting: Meeting, by: User, data: dict[str, Any], tasks: Sequence[TaskData]
) -> Notice:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_draft or meeting.is_deleted:
        raise ValidationError(
            _("Chỉ lập thông báo kết luận cho cuộc họp đã phát hành."), code="meeting"
        )
    _check_tasks(tasks)
    notice = Notice(meeting=meeting, created_by=by)
    for name in NOTICE_FIELDS:
        if name in data:
            setattr(notice, name, data[name])
    notice.full_clean()
    notice.save()
    _save_tasks(notice, tasks)
    return notice


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("meeting").get(pk=notice.pk)


def _draft_only(notice: Notice) -> None:
    if not notice.is_draft:
        raise ValidationError(_("Thông báo đã ban hành; không sửa được nữa."), code="issued")


@transaction.atomic
def notice_update(
    *, notice: Notice, by: User, data: dict[str, Any], tasks: Sequence[TaskData]
) -> Notice:
    notice = _locked(notice)
    _draft_only(notice)
    _check_tasks(tasks)
    for name in NOTICE_FIELDS:
        if name in data:
            setattr(notice, name, data[name])
    notice.full_clean()
    notice.save()
    _save_tasks(notice, tasks)
    return notice


def _deadline(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _task_url(task: Task) -> str:
    return reverse("tasks:detail", args=[task.pk])


def _tell(
    task: Task, units: Iterable[int], title: str, body: str, *, key: str | None = None
) -> bool:
    """One message about the task to these units (inbox and e-mail), in Vietnamese like the
    e-mails; with `key`, at most once. True if written."""
    try:
        with transaction.atomic():
            return (
                notify(
                    Invited(units=set(units)),
                    title=title,
                    body=body,
                    link=_task_url(task),
                    key=key,
                )
                is not None
            )
    except IntegrityError:  # this key's message was written already (another worker)
        return False


def _body(task: Task) -> str:
    lines = [
        _("Nhiệm vụ: %(title)s") % {"title": task.title},
        _("Hạn hoàn thành: %(day)s") % {"day": _deadline(task.deadline)},
        _("Đơn vị chủ trì: %(unit)s") % {"unit": task.unit.name},
        _("Theo: %(notice)s") % {"notice": task.notice},
    ]
    return "\n".join(lines)


@transaction.atomic
def notice_issue(*, notice: Notice, by: User, now: datetime | None = None) -> Notice:
    """Issues the notice: its tasks go to their units, each told in its inbox and by e-mail."""
    now = now or timezone.now()
    notice = _locked(notice)
    _draft_only(notice)
    if not notice.body.strip():
        raise ValidationError(_("Hãy nhập nội dung kết luận."), code="body")
    notice.status = Notice.Status.ISSUED
    notice.issued_by = by
    notice.issued_at = now
    notice.issued_on = notice.issued_on or timezone.localdate(now)
    notice.save()
    tasks = list(notice.tasks.select_related("unit").prefetch_related("cooperating"))
    Task.objects.filter(notice=notice).update(is_issued=True)
    TaskStep.objects.bulk_create(
        TaskStep(task=t, kind=TaskStep.Kind.ASSIGNED, by=by, unit=by.unit, at=now) for t in tasks
    )
    with override(settings.LANGUAGE_CODE):
        for task in tasks:
            units = {task.unit_id, *(u.pk for u in task.cooperating.all())}
            title = _("Nhiệm vụ mới: %(title)s (hạn %(day)s)") % {
                "title": task.title,
                "day": _deadline(task.deadline),
            }
            _tell(task, units, title[:300], _body(task))
    return notice


# ---- the unit's reports and the office's decision ---------------------------------------------


def _sha256(uploaded: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _lock_task(task: Task) -> Task:
    return (
        Task.objects.select_for_update()
        .select_related("notice", "notice__meeting", "unit")
        .get(pk=task.pk)
    )


def _note(note: str, *, required: bool = False, message: str = "") -> str:
    note = note.strip()
    if required and not note:
        raise ValidationError(message or _("Hãy nhập nội dung."), code="required")
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(
            _("Nội dung dài %(length)s ký tự, quá giới hạn %(limit)s ký tự.")
            % {"length": len(note), "limit": MAX_NOTE_LENGTH},
            code="too_long",
        )
    return note


def task_report(
    *,
    task: Task,
    by: User,
    note: str,
    files: Sequence[UploadedFile] = (),
    done: bool = False,
    now: datetime | None = None,
) -> TaskStep:
    """The unit in charge reports progress, or reports the task done (then the office decides).
    Files are checked before anything is written; a refused file loses nothing else."""
    now = now or timezone.now()
    note = _note(
        note,
        required=not files,
        message=_("Hãy nhập nội dung báo cáo hoặc đính kèm tệp."),
    )
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("Nhiều nhất %d tệp mỗi lần báo cáo.") % MAX_FILES, code="too_many_files"
        )
    checked = [(f, check_upload(f), clean_filename(f.name or ""), _sha256(f)) for f in files]
    with transaction.atomic():
        task = _lock_task(task)
        if task.status != Task.Status.OPEN or not task.is_issued:
            raise ValidationError(
                _("Nhiệm vụ đang chờ xác nhận hoặc đã hoàn thành; trang đã cũ, hãy tải lại."),
                code="stale",
            )
        if by.unit_id != task.unit_id:
            raise ValidationError(_("Chỉ đơn vị chủ trì báo cáo nhiệm vụ."), code="unit")
        step = TaskStep.objects.create(
            task=task,
            kind=TaskStep.Kind.REPORTED if done else TaskStep.Kind.PROGRESS,
            by=by,
            unit_id=by.unit_id,
            at=now,
            note=note,
        )
        with storing():
            for uploaded, file_type, name, digest in checked:
                stored = TaskFile(
                    step=step,
                    file_name=name,
                    file_type=file_type,
                    file_size=uploaded.size or 0,
                    file_sha256=digest,
                )
                stored.file.save(name, uploaded, save=False)
                stored.save()
        if done:
            task.status = Task.Status.REPORTED
            task.reported_on = timezone.localdate(now)
            task.save(update_fields=["status", "reported_on", "updated_at"])
            # The office (the organising unit's accounts) is told there is something to decide.
            with override(settings.LANGUAGE_CODE):
                _tell(
                    task,
                    [task.notice.meeting.organiser_unit_id],
                    (_("Đơn vị báo cáo hoàn thành nhiệm vụ: %(title)s") % {"title": task.title})[
                        :300
                    ],
                    _body(task) + "\n" + note,
                )
    return step


@transaction.atomic
def task_accept(*, task: Task, by: User, note: str = "", now: datetime | None = None) -> Task:
    """The office accepts the reported task: done on the day it was reported."""
    now = now or timezone.now()
    note = _note(note)
    task = _lock_task(task)
    if task.status != Task.Status.REPORTED:
        raise ValidationError(
            _("Nhiệm vụ không ở trạng thái chờ xác nhận; trang đã cũ, hãy tải lại."), code="stale"
        )
    task.status = Task.Status.DONE
    task.done_on = task.reported_on or timezone.localdate(now)
    task.accepted_at = now
    task.save(update_fields=["status", "done_on", "accepted_at", "updated_at"])
    TaskStep.objects.create(
        task=task, kind=TaskStep.Kind.ACCEPTED, by=by, unit_id=by.unit_id, at=now, note=note
    )
    with override(settings.LANGUAGE_CODE):
        _tell(
            task,
            [task.unit_id],
            (_("Nhiệm vụ được xác nhận hoàn thành: %(title)s") % {"title": task.title})[:300],
            _body(task),
        )
    return task


@transaction.atomic
def task_return(*, task: Task, by: User, reason: str, now: datetime | None = None) -> Task:
    """The office returns the reported task with a reason: it is open again."""
    now = now or timezone.now()
    reason = _note(reason, required=True, message=_("Hãy nhập lý do trả lại."))
    task = _lock_task(task)
    if task.status != Task.Status.REPORTED:
        raise ValidationError(
            _("Nhiệm vụ không ở trạng thái chờ xác nhận; trang đã cũ, hãy tải lại."), code="stale"
        )
    task.status = Task.Status.OPEN
    task.reported_on = None
    task.save(update_fields=["status", "reported_on", "updated_at"])
    TaskStep.objects.create(
        task=task, kind=TaskStep.Kind.RETURNED, by=by, unit_id=by.unit_id, at=now, note=reason
    )
    with override(settings.LANGUAGE_CODE):
        _tell(
            task,
            [task.unit_id],
            (_("Nhiệm vụ bị trả lại: %(title)s") % {"title": task.title})[:300],
            _body(task) + "\n" + _("Lý do: %(reason)s") % {"reason": reason},
        )
    return task


# ---- reminders (scheduled) -------------------------------------------------------------------


def reminder_days() -> int:
    return int(getattr(settings, "TASK_REMINDER_DAYS", 3))


def send_reminders(now: datetime | None = None) -> int:
    """Before the deadline (once, `TASK_REMINDER_DAYS` before) and when overdue (at most once a
    day), to the unit in charge of each open task. Each reminder is claimed first with a
    conditional UPDATE of the task's "last reminded" column, in the transaction that writes the
    message: of two workers only one claims it, and a failure releases the claim."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    open_tasks = Task.objects.filter(
        is_issued=True, status=Task.Status.OPEN, notice__meeting__deleted_at__isnull=True
    )
    due = open_tasks.filter(
        deadline__gte=today,
        deadline__lte=today + timedelta(days=reminder_days()),
        due_reminded_at__isnull=True,
    )
    for task in due.select_related("unit", "notice").order_by("deadline", "pk")[:1000]:
        with transaction.atomic():
            claimed = Task.objects.filter(pk=task.pk, due_reminded_at__isnull=True).update(
                due_reminded_at=now
            )
            if not claimed:
                continue
            with override(settings.LANGUAGE_CODE):
                title = _("Sắp đến hạn nhiệm vụ: %(title)s (hạn %(day)s)") % {
                    "title": task.title,
                    "day": _deadline(task.deadline),
                }
                sent += _tell(
                    task, [task.unit_id], title[:300], _body(task), key=f"task_due:{task.pk}"
                )
    overdue = open_tasks.filter(deadline__lt=today).filter(
        Q(overdue_reminded_on__isnull=True) | Q(overdue_reminded_on__lt=today)
    )
    for task in overdue.select_related("unit", "notice").order_by("deadline", "pk")[:1000]:
        with transaction.atomic():
            claimed = (
                Task.objects.filter(pk=task.pk)
                .filter(Q(overdue_reminded_on__isnull=True) | Q(overdue_reminded_on__lt=today))
                .update(overdue_reminded_on=today)
            )
            if not claimed:
                continue
            with override(settings.LANGUAGE_CODE):
                title = _("Nhiệm vụ quá hạn: %(title)s (hạn %(day)s)") % {
                    "title": task.title,
                    "day": _deadline(task.deadline),
                }
                sent += _tell(
                    task,
                    [task.unit_id],
                    title[:300],
                    _body(task),
                    key=f"task_overdue:{task.pk}:{today.isoformat()}",
                )
    return sent
