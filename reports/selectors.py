"""The figures of the statistics page, the usage report and the login log (S3, A3).

Everything is counted by the database (GROUP BY with conditional counts), never by looping over
rows in Python, so a page costs the same few queries at 100 meetings and at 100 000. The figures
per unit (invitations, views, downloads, replies, the roll, comments, sign-ins) are read from the
counts kept per unit and month (`reports.figures`), which give the same numbers as a recount.

What is counted:
- a meeting is any meeting that is not a draft and not deleted, by its start; the compliance
  figures and the attendance rate count published meetings only (not postponed or cancelled);
- "viewed before the meeting": an account of the unit opened the meeting before it started;
- "downloaded": an account of the unit downloaded at least one of its documents;
- "named attendees": the unit answered the invitation with people (not a refusal);
- "present": the roll call marked the unit present in person, present online or represented
  by a substitute (attendance.selectors.PRESENT_STATUSES);
- "commented": an account of the unit left at least one comment on the meeting;
- "published on time": published without needing a late reason (M2); the reason is the record;
- the attendance rate counts only meetings whose roll was taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import LoginEvent, Unit
from catalogs.models import MeetingField, MeetingForm, MeetingType
from core.dates import within_days
from core.tables import Link, Rate, Table
from meetings.models import Invitation, Meeting
from opinions.selectors import figures_per_unit
from tasks.selectors import STATE_KEYS, STATES, states_by_unit

from . import figures as kept

LATE_LIST_LIMIT = 200


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole province (unit None) or one unit's own."""

    unit: Unit | None = None

    @property
    def is_province(self) -> bool:
        return self.unit is None


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def within(self, field: str) -> dict[str, datetime]:
        """Lookups: the field falls on a day of the period."""
        return within_days(field, self.start, self.end)

    def months(self) -> list[date]:
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
        return months


def meetings_in(scope: Scope, period: Period) -> QuerySet[Meeting]:
    """Meetings held (or to be held) in the period: not drafts, not deleted. A unit's own are
    those it organised or was invited to."""
    meetings = kept.counted_meetings(period.start, period.end)
    if scope.unit is not None:
        invited = Invitation.objects.filter(unit=scope.unit).values("meeting_id")
        meetings = meetings.filter(Q(organiser_unit=scope.unit) | Q(pk__in=invited))
    return meetings


DIMENSIONS = {
    "organiser": "organiser_unit__name",
    "field": "field__name",
    "type": "type__name",
    "form": "form__name",
}


@dataclass
class MeetingCounts:
    months: dict[date, int]
    by: dict[str, dict[str | None, int]]
    published: int
    late: int
    cancelled: int = 0
    postponed: int = 0
    documents: int = 0


def meeting_counts(scope: Scope, period: Period) -> MeetingCounts:
    """Every count of the meetings: grouped by month, organiser, field, type and form together
    (a few hundred groups at most), then added up per dimension here. The province's come from
    the counts kept per month (`reports.figures`); one unit's are counted from its meetings."""
    counts = MeetingCounts(months={}, by={key: {} for key in DIMENSIONS}, published=0, late=0)
    if scope.unit is None:
        groups = kept.meeting_groups(period.start, period.end)
    else:
        groups = kept.count_meeting_groups(meetings_in(scope, period))
    names = _group_names({group for _month, group in groups})
    for (month, group), values in groups.items():
        n = values["meetings"]
        if not n:
            continue
        counts.months[month] = counts.months.get(month, 0) + n
        for key, name in zip(DIMENSIONS, names(group), strict=True):
            counts.by[key][name] = counts.by[key].get(name, 0) + n
        counts.published += values["published"]
        counts.late += values["late"]
        counts.cancelled += values["cancelled"]
        counts.postponed += values["postponed"]
        counts.documents += values["documents"]
    return counts


def _group_names(groups: set[Any]) -> Any:
    """A function from a group of ids to its names (None for a missing field)."""
    ids = [{group[i] for group in groups} - {0} for i in range(4)]
    tables = [
        dict(Unit.objects.filter(pk__in=ids[0]).values_list("pk", "name")),
        dict(MeetingField.objects.filter(pk__in=ids[1]).values_list("pk", "name")),
        dict(MeetingType.objects.filter(pk__in=ids[2]).values_list("pk", "name")),
        dict(MeetingForm.objects.filter(pk__in=ids[3]).values_list("pk", "name")),
    ]
    return lambda group: [table.get(key) for table, key in zip(tables, group, strict=True)]


def _ranked(counts: dict[str | None, int]) -> list[list[Any]]:
    rows = [[name or _("(Chưa phân loại)"), n] for name, n in counts.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


# ---- statistics (S3) -------------------------------------------------------------------------


def statistics(scope: Scope, period: Period) -> list[Table]:
    meetings = meetings_in(scope, period)
    counts = meeting_counts(scope, period)
    return [
        Table(
            key="month",
            title=_("Cuộc họp theo tháng"),
            columns=[_("Tháng"), _("Số cuộc họp")],
            rows=[[m.strftime("%m/%Y"), counts.months.get(m, 0)] for m in period.months()],
            total=[_("Tổng cộng"), sum(counts.months.values())],
            chart="bar",
        ),
        *(
            Table(
                key=key,
                title=title,
                columns=[column, _("Số cuộc họp")],
                rows=_ranked(counts.by[key]),
                chart=chart,
            )
            for key, title, column, chart in [
                ("organiser", _("Cuộc họp theo đơn vị tổ chức"), _("Đơn vị tổ chức"), "bar"),
                ("field", _("Cuộc họp theo lĩnh vực"), _("Lĩnh vực"), "doughnut"),
                ("type", _("Cuộc họp theo loại"), _("Loại cuộc họp"), "doughnut"),
                ("form", _("Cuộc họp theo hình thức"), _("Hình thức"), "doughnut"),
            ]
        ),
        compliance(scope, period),
        opinion_answers(scope, period),
        task_on_time(scope, period),
        *notice(meetings, counts.published, counts.late),
    ]


def task_on_time(scope: Scope, period: Period) -> Table:
    """Conclusion notices' tasks (B12) per unit in charge: those whose deadline falls in the
    period, in the task boards' states (each task in one, so they add up to the first figure),
    and the on-time rate: done on time / (done on time + done late + overdue), the tasks whose
    outcome is known."""
    unit = None if scope.unit is None else scope.unit.pk
    keys = ["total", *STATE_KEYS]
    rows: list[list[Any]] = []
    totals = dict.fromkeys(keys, 0)
    for row in states_by_unit(period.start, period.end, unit):
        rows.append([row["unit__name"], *(row[k] for k in keys), _on_time_rate(row)])
        for k in keys:
            totals[k] += row[k]
    return Table(
        key="task_on_time",
        title=_("Nhiệm vụ hoàn thành đúng hạn theo đơn vị"),
        sheet=_("Nhiệm vụ đúng hạn"),
        columns=[
            _("Đơn vị chủ trì"),
            _("Nhiệm vụ có hạn trong kỳ"),
            *(str(label) for _key, label, _help in STATES),
            _("Tỷ lệ đúng hạn"),
        ],
        rows=rows,
        total=[_("Tổng cộng"), *totals.values(), _on_time_rate(totals)],
        chart="bar",
        chart_columns=(len(keys) + 1,),
        note=" ".join(
            [
                _(
                    "Nhiệm vụ có hạn trong kỳ, kể cả nhiệm vụ chưa đến hạn; mỗi nhiệm vụ ở "
                    "một tình trạng, tính đến hôm nay:"
                ),
                *(f"{label}: {help_text}" for _key, label, help_text in STATES),
                _(
                    "Tỷ lệ đúng hạn: số hoàn thành đúng hạn trên tổng số hoàn thành đúng hạn, "
                    "trễ hạn và quá hạn (nhiệm vụ còn hạn, chờ xác nhận, bị trả lại chưa tính)."
                ),
            ]
        ),
        empty=_("Không có nhiệm vụ có hạn trong kỳ."),
    )


def _on_time_rate(row: dict[str, Any]) -> Rate:
    return Rate(row["on_time"], row["on_time"] + row["late"] + row["overdue"])


def compliance(scope: Scope, period: Period) -> Table:
    """Per unit: invited, viewed before the meeting, downloaded, named attendees, present,
    commented (each counted once per meeting).

    Four grouped queries, each driven by its own table (invitations; receipts; downloads;
    comments) and matched to an invitation of the same meeting and unit, rather than three
    EXISTS probes per invitation: at 100 000 meetings that is the difference between seconds and
    a fraction of one."""
    unit = None if scope.unit is None else scope.unit.pk
    figures: dict[Any, dict[str, Any]] = {
        key: dict(counts)
        for key, counts in kept.unit_figures(period.start, period.end, unit).items()
        if counts["invited"]
    }
    units = Unit.objects.filter(pk__in=list(figures)).values_list("pk", "name", "order")
    for pk, name, order in units:
        figures[pk].update(unit__name=name, unit__order=order)
    grouped = sorted(figures.values(), key=lambda row: (row["unit__order"], row["unit__name"]))
    keys = ["invited", "viewed", "downloaded", "named", "present", "commented"]
    rows: list[list[Any]] = []
    totals = dict.fromkeys(keys, 0)
    for row in grouped:
        values = [row.get(k, 0) for k in keys]
        rows.append([row["unit__name"], *values, Rate(values[1], values[0])])
        for k, value in zip(keys, values, strict=True):
            totals[k] += value
    return Table(
        key="compliance",
        title=_("Mức độ tham gia của các đơn vị"),
        columns=[
            _("Đơn vị"),
            _("Được mời"),
            _("Xem trước cuộc họp"),
            _("Tải tài liệu"),
            _("Cử người dự"),
            _("Có mặt"),
            _("Góp ý"),
            _("Tỷ lệ xem trước"),
        ],
        rows=rows,
        total=[_("Tổng cộng"), *totals.values(), Rate(totals["viewed"], totals["invited"])],
        chart="bar",
        chart_columns=(1, 2, 3, 5),
        note=_(
            "Các cuộc họp đã phát hành (không tính cuộc họp hoãn, huỷ); mỗi ô đếm số cuộc họp. "
            "Có mặt gồm cả người dự thay."
        ),
        empty=_("Không có đơn vị nào được mời trong thời gian này."),
    )


def opinion_answers(scope: Scope, period: Period) -> Table:
    """Written opinions (B13) per unit addressed, by the request's deadline in the period: the
    requests received, answered on time (answers after the deadline are refused, so an answer is
    on time) and late or not answered (a request still open counts here until it is answered).
    One grouped query (opinions.selectors.figures_per_unit) and one for the units' names."""
    bounds = period.within("deadline")
    figures = figures_per_unit(
        bounds["deadline__gte"],
        bounds["deadline__lt"],
        None if scope.unit is None else [scope.unit.pk],
    )
    units = Unit.objects.filter(pk__in=list(figures)).order_by("order", "name")
    rows: list[list[Any]] = []
    for unit in units.only("pk", "name"):
        row = figures[unit.pk]
        rows.append(
            [
                unit.name,
                row.received,
                row.on_time,
                row.not_answered,
                Rate(row.on_time, row.received),
            ]
        )
    received = sum(row[1] for row in rows)
    on_time = sum(row[2] for row in rows)
    return Table(
        key="opinions",
        title=_("Trả lời phiếu lấy ý kiến"),
        columns=[
            _("Đơn vị"),
            _("Phiếu nhận được"),
            _("Trả lời đúng hạn"),
            _("Trễ hạn, chưa trả lời"),
            _("Tỷ lệ đúng hạn"),
        ],
        rows=rows,
        total=[_("Tổng cộng"), received, on_time, received - on_time, Rate(on_time, received)],
        chart="bar",
        chart_columns=(1, 2),
        note=_(
            "Phiếu đã gửi có hạn trả lời trong kỳ, gửi đến đơn vị; phiếu chưa đến hạn mà đơn vị "
            "chưa trả lời được tính là chưa trả lời."
        ),
        empty=_("Không có phiếu lấy ý kiến nào có hạn trả lời trong thời gian này."),
    )


def notice(meetings: QuerySet[Meeting], published: int, late: int) -> list[Table]:
    rate = Table(
        key="notice",
        title=_("Thông báo mời họp đúng hạn"),
        columns=[_("Phát hành"), _("Số cuộc họp")],
        rows=[[_("Đúng hạn"), published - late], [_("Muộn (có lý do)"), late]],
        total=[_("Tỷ lệ đúng hạn"), Rate(published - late, published)],
        chart="doughnut",
        note=_(
            "Đúng hạn: phát hành trước ngày họp ít nhất số ngày báo trước của loại cuộc họp "
            "(3 ngày với họp thường kỳ, 1 ngày với họp bất thường)."
        ),
    )
    late_rows: list[list[Any]] = [
        [
            Link(m.title, reverse("meetings:detail", args=[m.pk])),
            m.organiser_unit.name,
            m.type.name,
            m.published_at,
            m.start_at,
            m.late_reason,
        ]
        for m in meetings.exclude(late_reason="")
        .filter(published_at__isnull=False)
        .select_related("organiser_unit", "type")
        .order_by("-start_at", "-pk")[:LATE_LIST_LIMIT]
    ]
    reasons = Table(
        key="late",
        title=_("Cuộc họp phát hành muộn và lý do"),
        sheet=_("Phát hành muộn và lý do"),
        columns=[
            _("Cuộc họp"),
            _("Đơn vị tổ chức"),
            _("Loại"),
            _("Phát hành lúc"),
            _("Bắt đầu"),
            _("Lý do phát hành muộn"),
        ],
        rows=late_rows,
        note=(
            _("Hiển thị %(shown)d cuộc họp gần nhất trong số %(all)d.")
            % {"shown": LATE_LIST_LIMIT, "all": late}
            if late > LATE_LIST_LIMIT
            else ""
        ),
        empty=_("Không có cuộc họp nào phát hành muộn."),
    )
    return [rate, reasons]


# ---- usage report ----------------------------------------------------------------------------


@dataclass
class Usage:
    summary: Table
    per_unit: Table
    silent: Table

    @property
    def tables(self) -> list[Table]:
        return [self.summary, self.per_unit, self.silent]


def usage(scope: Scope, period: Period) -> Usage:
    """The six-monthly and yearly report of the Provincial Office to the People's Committee."""
    units = Unit.objects.filter(is_active=True).order_by("order", "name")
    if scope.unit is not None:
        units = units.filter(pk=scope.unit.pk)
    unit = None if scope.unit is None else scope.unit.pk
    by_unit: dict[Any, dict[str, int]] = {
        key: dict(counts)
        for key, counts in kept.unit_figures(period.start, period.end, unit).items()
    }
    logins, accounts = kept.login_figures(period.start, period.end, unit)
    for key, counts in logins.items():
        by_unit.setdefault(key, {}).update(counts)
    totals = {
        name: sum(figures.get(name, 0) for figures in by_unit.values())
        for name in ("logins", "downloads", "comments", "rolled", "rolled_present")
    }
    keys = ["logins", "accounts", "invited", "present", "downloads", "comments"]
    unit_rows: list[list[Any]] = []
    silent_rows: list[list[Any]] = []
    signed_in_units = 0
    unit_list = list(units.only("pk", "name", "code"))
    for unit in unit_list:
        figures = by_unit.get(unit.pk, {})
        unit_rows.append([unit.name, *(figures.get(k, 0) for k in keys)])
        if figures.get("logins"):
            signed_in_units += 1
        else:
            silent_rows.append([len(silent_rows) + 1, unit.name, unit.code])
    unit_rows.sort(key=lambda row: (-row[1], row[0]))

    tally = meeting_counts(scope, period)
    published, late = tally.published, tally.late
    status = {
        "all": sum(tally.months.values()),
        "cancelled": tally.cancelled,
        "postponed": tally.postponed,
    }
    documents = tally.documents

    summary = Table(
        key="summary",
        title=_("Tổng hợp"),
        columns=[_("Chỉ tiêu"), _("Số liệu")],
        rows=[
            [_("Số cuộc họp"), status["all"]],
            [_("– trong đó hoãn"), status["postponed"]],
            [_("– trong đó huỷ"), status["cancelled"]],
            [_("Tài liệu đăng tải"), documents],
            [_("Lượt tải tài liệu"), totals["downloads"]],
            [_("Ý kiến góp ý"), totals["comments"]],
            [_("Lượt đăng nhập"), totals["logins"]],
            [_("Tài khoản đã đăng nhập"), accounts],
            [_("Đơn vị đã đăng nhập"), f"{signed_in_units}/{len(unit_list)}"],
            [_("Đơn vị chưa đăng nhập"), len(silent_rows)],
            [
                _("Tỷ lệ có mặt (cuộc họp đã điểm danh)"),
                Rate(totals["rolled_present"], totals["rolled"]),
            ],
            [_("Tỷ lệ phát hành đúng hạn"), Rate(published - late, published)],
        ],
    )
    per_unit = Table(
        key="units",
        title=_("Sử dụng theo đơn vị"),
        columns=[
            _("Đơn vị"),
            _("Lượt đăng nhập"),
            _("Tài khoản đã đăng nhập"),
            _("Lượt được mời"),
            _("Có mặt"),
            _("Lượt tải tài liệu"),
            _("Góp ý"),
        ],
        rows=unit_rows,
        total=[_("Tổng cộng"), *(sum(row[i] for row in unit_rows) for i in range(1, 7))],
        chart="bar",
        chart_columns=(1,),
        empty=_("Chưa có đơn vị nào."),
    )
    silent = Table(
        key="silent",
        title=_("Đơn vị chưa đăng nhập lần nào trong kỳ"),
        sheet=_("Đơn vị chưa đăng nhập"),
        columns=[_("STT"), _("Đơn vị"), _("Mã đơn vị")],
        rows=silent_rows,
        empty=_("Mọi đơn vị đều đã đăng nhập trong kỳ."),
    )
    return Usage(summary=summary, per_unit=per_unit, silent=silent)


# ---- login log (A3) --------------------------------------------------------------------------


def login_log(
    scope: Scope,
    *,
    account: str = "",
    unit: Unit | None = None,
    start: date | None = None,
    end: date | None = None,
    kind: str = "",
) -> QuerySet[LoginEvent]:
    events = LoginEvent.objects.select_related("user", "unit").order_by("-at", "-pk")
    if scope.unit is not None:
        events = events.filter(unit=scope.unit)
    elif unit is not None:
        events = events.filter(unit=unit)
    if account:
        events = events.filter(
            Q(username_tried__icontains=account)
            | Q(user__username__icontains=account)
            | Q(user__full_name__icontains=account)
        )
    events = events.filter(**within_days("at", start, end))
    if kind:
        events = events.filter(kind=kind)
    return events
