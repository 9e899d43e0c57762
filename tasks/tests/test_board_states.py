"""Each task in exactly one state, the same on the office's board, in its workbook and in the
statistics: waiting for the office and returned come before overdue, the counters add up to the
total, the tasks due in the next seven days are counted across a weekend."""

import io
import random
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import UnitFactory
from tasks import selectors
from tasks.models import Task

from .factories import NoticeFactory, TaskFactory, accept, give_back, report_done

pytestmark = pytest.mark.django_db

STATE_LABELS = {
    "Đang thực hiện": "open",
    "Bị trả lại": "returned",
    "Chờ xác nhận": "reported",
    "Hoàn thành đúng hạn": "on_time",
    "Hoàn thành trễ hạn": "late",
}
BADGE = re.compile(
    r'data-category="(\w+)"[^>]*>[^<]*<span class="badge[^"]*">(\d+)</span>', re.DOTALL
)


def state_of(label: str) -> str:
    """A state as the board's rows and the workbook write it."""
    return "overdue" if label.startswith("Quá hạn") else STATE_LABELS[label]


def page_counters(html: str) -> dict[str, int]:
    return {key: int(n) for key, n in BADGE.findall(html)}


def d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# ---- 2: one state each, the same numbers everywhere ------------------------------------------


def test_a_task_reported_after_its_deadline_waits_for_the_office(
    client_for, meeting, role_users, department, today
):
    notice = NoticeFactory(meeting=meeting, created_by=role_users["clerk"])
    task = TaskFactory(notice=notice, unit=department, deadline=today - timedelta(days=5))
    report_done(task, today - timedelta(days=1))

    response = client_for("clerk").get(reverse("tasks:office_board"))
    counters = page_counters(response.content.decode())
    assert counters["reported"] == 1 and counters["overdue"] == 0 and counters["open"] == 0
    assert counters["all"] == 1
    # The office's board: task, meeting, unit, deadline, state, done on, reason returned.
    assert [row[4] for row in response.context["table"].rows] == ["Chờ xác nhận"]


def _generated(meeting, clerk, today: date) -> dict[str, list[Task]]:
    """Sixty tasks of three units in every state, deadlines from 20 days back to 20 ahead:
    reported on time and late, accepted on time and late, returned (some after their deadline,
    some reported again), in progress, overdue, due within the week and beyond."""
    rng = random.Random(29)
    units = [UnitFactory() for _ in range(3)]
    notices = [NoticeFactory(meeting=meeting, created_by=clerk) for _ in range(3)]
    outcomes = ["none", "report", "report_late", "accept", "accept_late", "return", "re_report"]
    made: dict[str, list[Task]] = {}
    for n in range(60):
        deadline = today + timedelta(days=rng.randint(-20, 20))
        task = TaskFactory(notice=rng.choice(notices), unit=rng.choice(units), deadline=deadline)
        outcome = outcomes[n % len(outcomes)]
        if deadline >= today:
            report_day = today
        elif outcome.endswith("_late"):
            report_day = min(deadline + timedelta(days=2), today - timedelta(days=1))
        else:
            report_day = deadline
        if outcome != "none":
            report_done(task, report_day)
        if outcome.startswith("accept"):
            accept(task, clerk, today)
        if outcome in {"return", "re_report"}:
            give_back(task, clerk, today, f"Thiếu số liệu, lần {n}")
        if outcome == "re_report":
            report_done(task, today)
        made.setdefault(outcome, []).append(task)
    return made


def test_the_board_its_workbook_and_the_statistics_agree_and_add_up(
    client_for, meeting, role_users, today
):
    _generated(meeting, role_users["clerk"], today)
    first, last = today - timedelta(days=20), today + timedelta(days=20)
    period = {"tu": d(first), "den": d(last)}
    client = client_for("clerk")

    # The page's counters: every state is there, and they add up to "Tất cả".
    board = client.get(reverse("tasks:office_board"), period)
    counters = page_counters(board.content.decode())
    states = {key: counters[key] for key in selectors.STATE_KEYS}
    assert all(states.values()), states  # the data has every state
    assert counters["due_soon"] > 0
    assert sum(states.values()) == counters["all"] == 60
    # Each state's list holds as many tasks as its counter, each card showing that state.
    for key, count in states.items():
        listed = client.get(reverse("tasks:office_board"), {**period, "tinh_trang": key})
        assert listed.context["page"].paginator.count == count, key
        shown = re.findall(r'data-state="(\w+)"', listed.content.decode())
        assert set(shown) == {key} and len(shown) == min(count, 25), key

    # The workbook: its rows' states, its summary and its total.
    book = load_workbook(io.BytesIO(client.get(reverse("tasks:office_board_xlsx"), period).content))
    rows = [[c.value for c in r] for r in book.worksheets[0].iter_rows(min_row=5)]
    status = rows[0:60]
    assert Counter(state_of(r[4]) for r in status) == Counter(states)
    summary = {r[0].value: r[1].value for r in book.worksheets[1].iter_rows(min_row=5)}
    by_label = {str(label): key for key, label, _help in selectors.STATES}
    assert {by_label[k]: v for k, v in summary.items() if k in by_label} == states
    assert summary["Tổng cộng"] == sum(states.values()) == 60
    due_soon = [[c.value for c in r] for r in book.worksheets[2].iter_rows(min_row=5)]
    assert due_soon[0][:2] == ["Đến hạn trong 7 ngày tới", counters["due_soon"]]

    # The statistics over the same deadlines: the same states, the same total.
    statistics = client.get(reverse("reports:statistics"), period)
    table = next(t for t in statistics.context["tables"] if t.key == "task_on_time")
    assert table.total[1:8] == [60, *states.values()]
    assert sum(row[1] for row in table.rows) == 60
    for row in table.rows:
        assert row[1] == sum(row[2:8]), row
    rate = table.total[8]
    assert (rate.part, rate.whole) == (
        states["on_time"],
        states["on_time"] + states["late"] + states["overdue"],
    )
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("reports:statistics_xlsx"), period).content)
    )
    sheet = next(s for s in workbook.worksheets if s.title.startswith("Nhiệm vụ"))
    total = next(
        [c.value for c in r] for r in sheet.iter_rows(min_row=5) if r[0].value == "Tổng cộng"
    )
    assert total[1:8] == [60, *states.values()]


# ---- 3: a returned task says so, with the office's reason ------------------------------------


def test_a_returned_task_shows_returned_and_the_reason_where_the_unit_looks(
    client_for, issued, role_users, today
):
    task = issued["mine"]
    report_done(task, today)
    give_back(task, role_users["clerk"], today, "Thiếu số liệu quý III")
    # Past its deadline since: still returned, not overdue (returned comes first).
    Task.objects.filter(pk=task.pk).update(deadline=today - timedelta(days=2))

    client = client_for("unit_clerk")
    board = client.get(reverse("tasks:board"))
    row = board.context["table"].rows[0]
    assert row[0].text == task.title
    assert row[5] == "Bị trả lại" and row[7] == "Thiếu số liệu quý III"
    html = board.content.decode()
    card = html[html.index('id="task-cards"') :]
    assert 'data-state="returned">Bị trả lại</span>' in card
    assert "Thiếu số liệu quý III" in card
    counters = page_counters(html)
    assert counters["returned"] == 1 and counters["overdue"] == 0

    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert 'id="task-status" data-state="returned">Bị trả lại</span>' in page
    returned = page[page.index('id="task-returned"') :]
    assert "Lý do trả lại" in returned and "Thiếu số liệu quý III" in returned[:600]

    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert "1 bị trả lại" in dashboard

    # Reported again: waiting for the office, the old reason no longer shown as current.
    report_done(task, today)
    again = client.get(reverse("tasks:board"))
    assert again.context["table"].rows[0][5] == "Chờ xác nhận"
    assert again.context["table"].rows[0][7] == ""
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert 'id="task-returned"' not in page


# ---- 4: cards on phones -------------------------------------------------------------------------


def test_the_units_board_is_cards_below_md_with_state_and_deadline_first(client_for, issued, today):
    html = client_for("outsider").get(reverse("tasks:board")).content.decode()
    cards = html[html.index('<ul class="list-unstyled d-md-none mb-3" id="task-cards"') :]
    cards = cards[: cards.index("</ul>")]
    found = re.findall(
        r'<li class="card mb-2" data-task-card>\s*<div class="card-body p-3">\s*'
        r'<div class="d-flex[^"]*">\s*<span class="badge[^"]*" data-state="(\w+)">([^<]+)</span>'
        r'\s*<span class="small[^"]*">Hạn (\d\d/\d\d/\d{4})</span>',
        cards,
    )
    # The other department: its own task (in 5 days) and the one it cooperates on (in 10).
    assert found == [
        ("open", "Đang thực hiện", d(today + timedelta(days=5))),
        ("open", "Đang thực hiện", d(today + timedelta(days=10))),
    ]
    assert "Phối hợp · chủ trì: Sở Tài chính" in cards
    assert '<div class="d-none d-md-block"><div class="table-responsive' in html


# ---- 6: what each figure counts ----------------------------------------------------------------


def test_due_soon_counts_the_next_seven_days_across_the_weekend(meeting, role_users, department):
    saturday = date(2026, 12, 5)
    assert saturday.weekday() == 5
    notice = NoticeFactory(meeting=meeting, created_by=role_users["clerk"])
    titles = {}
    for offset in [-1, 0, 3, 7, 8]:
        task = TaskFactory(
            notice=notice, unit=department, deadline=saturday + timedelta(days=offset)
        )
        titles[offset] = task.title
    done = TaskFactory(notice=notice, unit=department, deadline=saturday + timedelta(days=2))
    report_done(done, saturday - timedelta(days=1))
    accept(done, role_users["clerk"], saturday)
    waiting = TaskFactory(notice=notice, unit=department, deadline=saturday + timedelta(days=1))
    report_done(waiting, saturday - timedelta(days=1))

    office = selectors.office_tasks(role_users["clerk"])
    counts = selectors.board_counts(office, saturday)
    # Today, Tuesday and the Saturday after; and the task waiting for the office (not done yet).
    assert counts["due_soon"] == 4
    rows = selectors.board_rows(office, selectors.BoardFilters(category="due_soon"), saturday)
    assert [t.title for t in rows] == [titles[0], waiting.title, titles[3], titles[7]]
    assert counts["overdue"] == 1 and counts["open"] == 4


def test_each_figure_says_what_it_counts(client_for, issued):
    html = client_for("clerk").get(reverse("tasks:office_board")).content.decode()
    assert "Đến hạn trong tuần" not in html
    assert "Đến hạn trong 7 ngày tới" in html
    for _key, label, help_text in selectors.STATES:
        assert f'title="{help_text}"' in html
        assert f'<dt class="col-sm-4 col-lg-3">{label}</dt>' in html


def test_the_statistics_count_tasks_not_yet_due_as_such(
    client_for, meeting, role_users, department, today
):
    notice = NoticeFactory(meeting=meeting, created_by=role_users["clerk"])
    TaskFactory(notice=notice, unit=department, deadline=today + timedelta(days=3))
    TaskFactory(notice=notice, unit=department, deadline=today - timedelta(days=3))
    period = {"tu": d(today - timedelta(days=10)), "den": d(today + timedelta(days=10))}
    response = client_for("clerk").get(reverse("reports:statistics"), period)
    table = next(t for t in response.context["tables"] if t.key == "task_on_time")
    assert "Nhiệm vụ đến hạn" not in table.columns
    row = dict(
        zip(table.columns, next(r for r in table.rows if r[0] == department.name), strict=True)
    )
    assert row["Nhiệm vụ có hạn trong kỳ"] == 2
    assert row["Đang thực hiện"] == 1 and row["Quá hạn"] == 1
    # The task not yet due is not held against the unit: none on time of the one overdue.
    assert (row["Tỷ lệ đúng hạn"].part, row["Tỷ lệ đúng hạn"].whole) == (0, 1)
    assert "kể cả nhiệm vụ chưa đến hạn" in table.note


def test_today_is_the_provinces_day(settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    with timezone.override("UTC"):
        assert selectors.today() == datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
