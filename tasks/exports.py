"""The task board as one `core.tables.Table`: the page's table and the Excel workbook are built
from the same rows, so they cannot disagree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.letterhead import governing_body
from accounts.models import Unit
from core import officedoc
from core.exporting import write_pdf, xlsx_response
from core.tables import Link, Table

from .drafting import meeting_phrase
from .models import Notice, Task
from .selectors import DUE_SOON, STATE_LABELS, STATES

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def status_text(task: Task, today: date) -> str:
    """The task's one state (`selectors.with_state`) in words; overdue says by how many days."""
    state = getattr(task, "state", "")
    if state == "overdue":
        return _("Quá hạn %(days)s ngày") % {"days": (today - task.deadline).days}
    return str(STATE_LABELS.get(state, task.get_status_display()))


def returned_reason(task: Task) -> str:
    """The office's reason while the task is back with its unit."""
    return (getattr(task, "returned_reason", "") or "") if task_state(task) == "returned" else ""


def task_state(task: Task) -> str:
    return str(getattr(task, "state", ""))


def board_table(tasks: Sequence[Task], today: date, unit: Unit | None = None) -> Table:
    """The board's rows; with `unit` (a unit's board), whether it is in charge or cooperates.
    The tasks carry their state (`selectors.with_state`)."""
    rows: list[list[Any]] = []
    for task in tasks:
        row: list[Any] = [
            Link(task.title, reverse("tasks:detail", args=[task.pk])),
            task.notice.meeting.title,
            task.unit.name,
        ]
        if unit is not None:
            row.append(role_text(task, unit))
        row += [task.deadline, status_text(task, today), task.done_on, returned_reason(task)]
        rows.append(row)
    columns = [_("Nhiệm vụ"), _("Cuộc họp"), _("Đơn vị chủ trì")]
    if unit is not None:
        columns.append(_("Vai trò của đơn vị"))
    columns += [_("Hạn hoàn thành"), _("Tình trạng"), _("Ngày hoàn thành"), _("Lý do trả lại")]
    return Table(
        key="tasks",
        title=_("Nhiệm vụ"),
        columns=columns,
        rows=rows,
        empty=_("Không có nhiệm vụ nào."),
        note=_(
            "Hoàn thành đúng hạn hay trễ hạn tính theo ngày đơn vị báo cáo hoàn thành (được "
            "văn phòng xác nhận) so với hạn."
        ),
    )


def role_text(task: Task, unit: Unit) -> str:
    return _("Chủ trì") if task.unit_id == unit.pk else _("Phối hợp")


def counts_table(counts: dict[str, int]) -> Table:
    """The states, each task in one: they add up to the total."""
    return Table(
        key="counts",
        title=_("Tổng hợp"),
        columns=[_("Tình trạng"), _("Số nhiệm vụ"), _("Cách tính")],
        rows=[[str(label), counts[key], str(help_text)] for key, label, help_text in STATES],
        total=[_("Tổng cộng"), counts["total"], ""],
    )


def due_soon_table(counts: dict[str, int]) -> Table:
    """Across the states: what falls due in the coming days."""
    key, label, help_text = DUE_SOON
    return Table(
        key=key,
        title=str(label),
        columns=[_("Tình trạng"), _("Số nhiệm vụ"), _("Cách tính")],
        rows=[[str(label), counts[key], str(help_text)]],
    )


def board_xlsx(title: str, table: Table, counts: dict[str, int], today: date) -> HttpResponse:
    subtitle = _("ngày %(day)s") % {"day": formats.date_format(today, "SHORT_DATE_FORMAT")}
    return xlsx_response(
        title,
        subtitle,
        [table, counts_table(counts), due_soon_table(counts)],
        f"nhiem-vu-{today:%d-%m-%Y}.xlsx",
    )


def notice_pdf(notice: Notice, *, archival: bool = False) -> bytes:
    """The notice as the office prints it, laid out as Decree 30/2020/NĐ-CP asks (the governing
    body above the office, the emblem lines each on one line of A4); what is signed. PDF/A for
    the archive (exports)."""
    tasks = list(notice.tasks.select_related("unit").prefetch_related("cooperating").order_by("id"))
    context = {
        "notice": notice,
        "tasks": tasks,
        "governing_body": governing_body(notice.meeting.organiser_unit),
        "meeting_phrase": meeting_phrase(notice.meeting),
    }
    html = render_to_string("tasks/notice_pdf.html", context)
    return write_pdf(html, archival=archival)


def notice_docx(notice: Notice) -> bytes:
    """The same notice as a Word file, for the office to edit before it is signed: the same
    header, text, tasks, recipients and signer as the PDF."""
    tasks = list(notice.tasks.select_related("unit").prefetch_related("cooperating").order_by("id"))
    unit = notice.meeting.organiser_unit
    document = officedoc.new_document()
    para = officedoc.paragraph
    officedoc.letterhead(
        document,
        governing_body=governing_body(unit).upper(),
        unit_name=unit.name.upper(),
        number_line=_("Số: %s") % notice.number if notice.number else _("Số:      /TB-"),
        place_date=officedoc.place_date(notice.place, notice.issued_on),
    )
    para(document, "")
    para(document, _("THÔNG BÁO"), bold=True)
    if notice.concluded_by:
        subject = _("Kết luận của %(who)s tại %(meeting)s") % {
            "who": notice.concluded_by,
            "meeting": meeting_phrase(notice.meeting),
        }
    else:
        subject = _("Kết luận tại %(meeting)s") % {"meeting": meeting_phrase(notice.meeting)}
    para(document, subject, bold=True)
    officedoc.short_rule(document, 4)
    for line in notice.body.splitlines():
        if line.strip():
            officedoc.body_paragraph(document, line.strip())
    if tasks:
        para(document, _("Nhiệm vụ giao các đơn vị:"), bold=True, center=False)
        for n, task in enumerate(tasks, start=1):
            head = f"{n}. {task.title}" + (f": {task.detail}" if task.detail else "")
            officedoc.body_paragraph(document, head)
            parts = [_("Đơn vị chủ trì") + ": " + task.unit.name]
            cooperating = [u.name for u in task.cooperating.all()]
            if cooperating:
                parts.append(_("đơn vị phối hợp") + ": " + ", ".join(cooperating))
            parts.append(_("thời hạn hoàn thành") + ": " + f"{task.deadline:%d/%m/%Y}")
            officedoc.body_paragraph(document, "; ".join(parts) + ".")
    para(document, "")
    foot = officedoc.fixed_table(document, [8.25, 8.25])
    left, right = foot.rows[0].cells
    para(left, _("Nơi nhận:"), bold=True, italic=True, center=False, size=12)
    for line in notice.recipients.splitlines():
        if line.strip():
            para(left, f"- {line.strip()};", center=False, size=11)
    para(left, "- " + _("Lưu: VT."), center=False, size=11)
    para(right, notice.signer_title.upper(), bold=True)
    for _i in range(4):
        para(right, "")
    para(right, notice.signer_name, bold=True)
    return officedoc.to_bytes(document)
