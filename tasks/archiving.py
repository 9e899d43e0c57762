"""A meeting's conclusion notices in its archive (D1, meetings.archiving): each issued notice as
PDF/A and, once signed (B14), as signed; how each of its tasks ended (its state, its history with
the returns and their reasons); and the files the units reported with, as they sent them. A draft
notice is not a record. The requester gets the notices and tasks the task pages would show."""

from collections.abc import Iterator, Sequence
from functools import partial

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exporting import write_pdf
from meetings.archiving import Record, Stored
from meetings.models import Meeting
from signatures.models import SignedPdf
from signatures.selectors import signed_pdfs

from .drafting import meeting_phrase
from .exports import notice_pdf, status_text
from .models import Notice, Task, TaskStep
from .selectors import with_state

REPORTS_FOLDER = "bao-cao-nhiem-vu"


def outcomes_pdf(notice: Notice, tasks: list[Task], *, archival: bool = False) -> bytes:
    """How each task of the notice stands (as the boards say it) and every step of its history."""
    today = timezone.localdate()
    context = {
        "notice": notice,
        "meeting": notice.meeting,
        "meeting_phrase": meeting_phrase(notice.meeting),
        "rows": [(task, status_text(task, today)) for task in tasks],
        "today": today,
    }
    return write_pdf(render_to_string("tasks/outcomes_pdf.html", context), archival=archival)


def _tasks_by_notice(notices: list[Notice]) -> dict[int, list[Task]]:
    steps = TaskStep.objects.select_related("by", "unit").prefetch_related("files")
    found: dict[int, list[Task]] = {}
    for task in (
        with_state(Task.objects.filter(notice__in=notices), timezone.localdate())
        .select_related("unit")
        .prefetch_related("cooperating", Prefetch("steps", queryset=steps.order_by("at", "id")))
        .order_by("id")
    ):
        found.setdefault(task.notice_id, []).append(task)
    return found


def _notice_records(notice: Notice, signed: SignedPdf | None) -> Iterator[Record]:
    name = f"{_('Thông báo kết luận')} {notice.number or notice.pk}"
    yield Record(
        meeting_id=notice.meeting_id,
        name=f"{name}.pdf",
        kind=_("Thông báo kết luận"),
        dated=notice.issued_on,
        render=partial(notice_pdf, notice, archival=True),
    )
    if signed is not None:
        yield Record(
            meeting_id=notice.meeting_id,
            name=f"{name} - {_('bản ký số')}.pdf",
            kind=_("Thông báo kết luận – bản ký số (bản gốc)"),
            dated=signed.signed_at,
            stored=Stored(storage=signed.file.storage, name=signed.file.name, size=signed.size),
        )


def _task_records(notice: Notice, tasks: list[Task]) -> Iterator[Record]:
    if not tasks:
        return
    steps = [step for task in tasks for step in task.steps.all()]
    yield Record(
        meeting_id=notice.meeting_id,
        name=f"{_('Tình hình thực hiện nhiệm vụ')} - {_('Thông báo')} "
        f"{notice.number or notice.pk}.pdf",
        kind=_("Tình hình thực hiện nhiệm vụ"),
        dated=max((step.at for step in steps), default=notice.issued_at),
        render=partial(outcomes_pdf, notice, tasks, archival=True),
    )
    for step in steps:
        for file in step.files.all():
            yield Record(
                meeting_id=notice.meeting_id,
                folder=REPORTS_FOLDER,
                name=file.file_name,
                kind=_("Tệp báo cáo nhiệm vụ"),
                dated=step.at,
                stored=Stored(storage=file.file.storage, name=file.file.name, size=file.file_size),
            )


def archive_records(meetings: Sequence[Meeting], user: User) -> Iterator[Record]:
    by_id = {meeting.pk: meeting for meeting in meetings}
    notices = list(
        Notice.objects.filter(meeting_id__in=by_id, status=Notice.Status.ISSUED).order_by(
            "meeting_id", "issued_at", "id"
        )
    )
    signed = signed_pdfs(Notice, [notice.pk for notice in notices])
    tasks = _tasks_by_notice(notices)
    for notice in notices:
        notice.meeting = by_id[notice.meeting_id]
        if not user.has_perm("tasks.view_notice", notice):
            continue
        yield from _notice_records(notice, signed.get(notice.pk))
        visible = []
        for task in tasks.get(notice.pk, []):
            task.notice = notice
            if user.has_perm("tasks.view_task", task):
                visible.append(task)
        yield from _task_records(notice, visible)
