"""Reminders (once before the deadline, at most once a day when overdue), the boards' figures and
the on-time rate on a hand-worked dataset, the boards' query counts and the Excel workbook."""

import io
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from notifications.models import Event, Notification
from tasks import selectors, services
from tasks.models import Task
from tasks.services import TaskData

from .conftest import make_notice

pytestmark = pytest.mark.django_db

# A Wednesday: the week ends on Sunday 29/11.
D = date(2026, 11, 25)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _reminders(prefix: str) -> int:
    return Event.objects.filter(key__startswith=prefix).count()


def test_deadline_reminder_once_and_overdue_once_a_day(meeting, role_users, department):
    clerk = role_users["clerk"]
    notice = make_notice(
        meeting, clerk, [TaskData(title="Nộp báo cáo", unit=department, deadline=D + timedelta(3))]
    )
    task = notice.tasks.get()
    # Four days before: nothing yet.
    assert services.send_reminders(now=at(D - timedelta(1))) == 0
    assert services.send_reminders(now=at(D)) == 1
    assert services.send_reminders(now=at(D, 15)) == 0
    assert services.send_reminders(now=at(D + timedelta(1))) == 0
    assert _reminders("task_due:") == 1
    task.refresh_from_db()
    assert task.due_reminded_at == at(D)
    assert Notification.objects.filter(
        user=role_users["unit_clerk"], event__key=f"task_due:{task.pk}"
    ).exists()
    # Overdue from the day after the deadline: once that day, again the next day.
    overdue = D + timedelta(4)
    assert services.send_reminders(now=at(overdue, 8)) == 1
    assert services.send_reminders(now=at(overdue, 17)) == 0
    assert _reminders("task_overdue:") == 1
    assert services.send_reminders(now=at(overdue + timedelta(1), 8)) == 1
    assert services.send_reminders(now=at(overdue + timedelta(1), 9)) == 0
    assert _reminders("task_overdue:") == 2
    task.refresh_from_db()
    assert task.overdue_reminded_on == overdue + timedelta(1)
    # Reported done: no more reminders, however late.
    services.task_report(task=task, by=role_users["unit_clerk"], note="Xong", done=True)
    assert services.send_reminders(now=at(overdue + timedelta(2))) == 0


def test_a_claimed_reminder_is_not_sent_again(meeting, role_users, department):
    """Two workers: the second finds the column claimed by the first's conditional UPDATE."""
    notice = make_notice(
        meeting,
        role_users["clerk"],
        [TaskData(title="Nộp báo cáo", unit=department, deadline=D - timedelta(2))],
    )
    Task.objects.filter(notice=notice).update(overdue_reminded_on=D)
    assert services.send_reminders(now=at(D)) == 0
    assert _reminders("task_overdue:") == 0


@pytest.fixture
def dataset(meeting, role_users, department, other_department):
    """Seven tasks, by hand (D is a Wednesday):
    t1 department, due D+2, open             -> in progress, due within 7 days
    t2 department, due D-3, open             -> overdue
    t3 department, due D+10, reported on D   -> waiting
    t4 department, due D-5, reported D-6, accepted -> on time
    t5 department, due D-5, reported D-2, accepted -> late
    t6 other, due D-1, reported D-1, accepted      -> on time
    t7 other, due D+20, open                 -> open
    """
    clerk = role_users["clerk"]
    days = [2, -3, 10, -5, -5, -1, 20]
    units = [department] * 5 + [other_department] * 2
    notice = make_notice(
        meeting,
        clerk,
        [
            TaskData(title=f"Nhiệm vụ {n}", unit=unit, deadline=D + timedelta(days=d))
            for n, (d, unit) in enumerate(zip(days, units, strict=True), 1)
        ],
        now=at(D - timedelta(10)),
    )
    tasks = {t.title: t for t in notice.tasks.all()}
    reporter = {
        department.pk: role_users["unit_clerk"],
        other_department.pk: role_users["outsider"],
    }

    def report(name: str, day: date, accept: bool) -> None:
        task = tasks[name]
        services.task_report(
            task=task, by=reporter[task.unit_id], note="Xong", done=True, now=at(day)
        )
        if accept:
            services.task_accept(task=task, by=clerk, now=at(D))

    report("Nhiệm vụ 3", D, accept=False)
    report("Nhiệm vụ 4", D - timedelta(6), accept=True)
    report("Nhiệm vụ 5", D - timedelta(2), accept=True)
    report("Nhiệm vụ 6", D - timedelta(1), accept=True)
    return tasks


def test_board_counts_on_the_hand_worked_dataset(dataset, role_users, department):
    office = selectors.office_tasks(role_users["clerk"])
    assert selectors.board_counts(office, D) == {
        "open": 2,
        "returned": 0,
        "overdue": 1,
        "reported": 1,
        "on_time": 2,
        "late": 1,
        "due_soon": 1,
        "total": 7,
    }
    late = selectors.board_rows(office, selectors.BoardFilters(category="late"), D)
    assert [t.title for t in late] == ["Nhiệm vụ 5"]
    assert dataset["Nhiệm vụ 5"].title == "Nhiệm vụ 5"
    # The department's board: its five tasks (the other department cooperates on none).
    mine = selectors.unit_tasks(role_users["unit_clerk"])
    assert selectors.board_counts(mine, D)["total"] == 5
    assert selectors.board_counts(mine, D)["on_time"] == 1
    # Filtering by unit and deadline range on the office's board.
    filters = selectors.BoardFilters(unit=department, deadline_from=D - timedelta(5), deadline_to=D)
    narrowed = selectors.filtered(office, filters, D)
    assert sorted(t.title for t in narrowed) == ["Nhiệm vụ 2", "Nhiệm vụ 4", "Nhiệm vụ 5"]


def test_states_by_unit(dataset, department, other_department):
    rows = selectors.states_by_unit(date(2026, 11, 1), date(2026, 11, 30), today_=D)
    figures = {r["unit_id"]: r for r in rows}
    # Due in November: the department's t1, t2, t4, t5; the other department's t6.
    assert {k: figures[department.pk][k] for k in ["total", *selectors.STATE_KEYS]} == {
        "total": 4,
        "open": 1,
        "returned": 0,
        "overdue": 1,
        "reported": 0,
        "on_time": 1,
        "late": 1,
    }
    assert figures[other_department.pk]["total"] == 1
    assert figures[other_department.pk]["on_time"] == 1


def test_statistics_page_shows_the_on_time_rate(dataset, client_for, department):
    response = client_for("clerk").get(
        reverse("reports:statistics"), {"tu": "01/11/2026", "den": "30/11/2026"}
    )
    assert response.status_code == 200
    table = next(t for t in response.context["tables"] if t.key == "task_on_time")
    row = next(r for r in table.rows if r[0] == department.name)
    # Today (after November) t1 is overdue too: of the four, one on time, one late, two overdue.
    assert table.columns[1:8] == [
        "Nhiệm vụ có hạn trong kỳ",
        "Đang thực hiện",
        "Bị trả lại",
        "Quá hạn",
        "Chờ xác nhận",
        "Hoàn thành đúng hạn",
        "Hoàn thành trễ hạn",
    ]
    assert row[1:8] == [4, 0, 0, 2, 0, 1, 1] and str(row[-1]) in {"25,0 %", "25.0 %"}
    workbook = client_for("clerk").get(
        reverse("reports:statistics_xlsx"), {"tu": "01/11/2026", "den": "30/11/2026"}
    )
    book = load_workbook(io.BytesIO(workbook.content))
    sheet = next(s for s in book.worksheets if s.title.startswith("Nhiệm vụ"))
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=5)]
    found = next(v for v in values if v[0] == department.name)
    assert found[1:8] == [4, 0, 0, 2, 0, 1, 1] and found[-1] == pytest.approx(0.25)


def test_board_page_queries_stay_flat_and_excel_agrees(
    dataset, client_for, meeting, role_users, department, django_assert_max_num_queries
):
    client = client_for("clerk")
    url = reverse("tasks:office_board")
    client.get(url)
    with django_assert_max_num_queries(12):
        first = client.get(url)
    assert first.status_code == 200
    make_notice(
        meeting,
        role_users["clerk"],
        [
            TaskData(title=f"Thêm {n}", unit=department, deadline=D + timedelta(days=n))
            for n in range(30)
        ],
        number="2/TB-VP",
    )
    with django_assert_max_num_queries(12):
        second = client.get(url)
    assert second.context["counts"]["total"] == 37
    assert len(second.context["page"]) == 25  # paginated
    response = client.get(reverse("tasks:office_board_xlsx"), {"tinh_trang": "late"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[4]][:3] == ["Nhiệm vụ", "Cuộc họp", "Đơn vị chủ trì"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=5) if r[0].value]
    assert [r[0] for r in rows if r[0] and r[0].startswith("Nhiệm vụ")] == ["Nhiệm vụ 5"]
    counts = {r[0].value: r[1].value for r in book.worksheets[1].iter_rows(min_row=5)}
    # The counts of every state under the same filters (the state chosen lists its rows).
    assert counts["Hoàn thành trễ hạn"] == 1 and counts["Tổng cộng"] == 37


def test_unit_board_lists_own_and_cooperating_tasks_only(
    client_for, issued, django_assert_max_num_queries
):
    client = client_for("unit_clerk")
    client.get(reverse("tasks:board"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("tasks:board"))
    titles = [row[0].text for row in response.context["table"].rows]
    assert titles == ["Rà soát kế hoạch vốn đầu tư công"]
    # The other department: its own task and the one it cooperates on.
    other = client_for("outsider").get(reverse("tasks:board"))
    roles = sorted(row[3] for row in other.context["table"].rows)
    assert roles == ["Chủ trì", "Phối hợp"]
