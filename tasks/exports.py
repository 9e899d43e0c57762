"""The task board as one `reports.tables.Table`: the page's table and the Excel workbook are built
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
from reports.exporting import xlsx_response
from reports.tables import Link, Table

from .models import Notice, Task
from .selectors import CATEGORIES


def status_text(task: Task, today: date) -> str:
    if task.status == Task.Status.DONE:
        return _("Hoàn thành trễ hạn") if task.done_late else _("Hoàn thành đúng hạn")
    late = (today - task.deadline).days
    if late > 0:
        return _("Quá hạn %(days)s ngày") % {"days": late}
    if task.status == Task.Status.REPORTED:
        return _("Chờ xác nhận")
    return _("Đang thực hiện")


def board_table(tasks: Sequence[Task], today: date, unit: Unit | None = None) -> Table:
    """The board's rows; with `unit` (a unit's board), whether it is in charge or cooperates."""
    rows: list[list[Any]] = []
    for task in tasks:
        row: list[Any] = [
            Link(task.title, reverse("tasks:detail", args=[task.pk])),
            task.notice.meeting.title,
            task.unit.name,
        ]
        if unit is not None:
            row.append(_("Chủ trì") if task.unit_id == unit.pk else _("Phối hợp"))
        row += [task.deadline, status_text(task, today), task.done_on]
        rows.append(row)
    columns = [_("Nhiệm vụ"), _("Cuộc họp"), _("Đơn vị chủ trì")]
    if unit is not None:
        columns.append(_("Vai trò của đơn vị"))
    columns += [_("Hạn hoàn thành"), _("Tình trạng"), _("Ngày hoàn thành")]
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


def counts_table(counts: dict[str, int]) -> Table:
    return Table(
        key="counts",
        title=_("Tổng hợp"),
        columns=[_("Tình trạng"), _("Số nhiệm vụ")],
        rows=[[str(label), counts[key]] for key, label in CATEGORIES],
        total=[_("Tổng cộng"), counts["total"]],
    )


def board_xlsx(title: str, table: Table, counts: dict[str, int], today: date) -> HttpResponse:
    subtitle = _("ngày %(day)s") % {"day": formats.date_format(today, "SHORT_DATE_FORMAT")}
    return xlsx_response(
        title, subtitle, [table, counts_table(counts)], f"nhiem-vu-{today:%d-%m-%Y}.xlsx"
    )


def notice_pdf(notice: Notice) -> bytes:
    """The notice as the office prints it, laid out as Decree 30/2020/NĐ-CP asks (the governing
    body above the office, the emblem lines each on one line of A4); what is signed."""
    from weasyprint import HTML  # needs Pango from the system: loaded only here

    tasks = list(notice.tasks.select_related("unit").prefetch_related("cooperating").order_by("id"))
    context = {
        "notice": notice,
        "tasks": tasks,
        "governing_body": governing_body(notice.meeting.organiser_unit),
    }
    html = render_to_string("tasks/notice_pdf.html", context)
    return bytes(HTML(string=html).write_pdf())
