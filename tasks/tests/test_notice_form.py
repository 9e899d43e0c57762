"""The conclusion notice form as a clerk fills it: a deadline already past is refused (one saved
earlier may stay as it was), cooperating units are ticked in a list with a search box, and tasks
are added a row at a time (client-side from the formset's empty form, or, without JavaScript,
the form shown again with blank rows)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from tasks.models import Notice
from tasks.services import TaskData

from .conftest import make_notice
from .test_views import _notice_post

pytestmark = pytest.mark.django_db

PAST = "Hạn hoàn thành {day} đã qua; hãy chọn từ hôm nay ({today}) trở đi."


def d(day) -> str:
    return day.strftime("%d/%m/%Y")


def test_a_past_deadline_is_refused_with_a_message(client_for, meeting, today, department):
    url = reverse("tasks:notice_create", args=[meeting.pk])
    yesterday = today - timedelta(days=1)
    data = _notice_post(
        today, **{"tasks-0-unit": str(department.pk), "tasks-0-deadline": d(yesterday)}
    )
    response = client_for("clerk").post(url, data)
    assert response.status_code == 200
    assert PAST.format(day=d(yesterday), today=d(today)) in response.content.decode()
    assert not Notice.objects.exists()
    # Today is still allowed.
    data["tasks-0-deadline"] = d(today)
    assert client_for("clerk").post(url, data).status_code == 302
    assert Notice.objects.get().tasks.get().deadline == today


def test_an_edit_keeps_a_past_deadline_only_as_it_was(client_for, meeting, role_users, today):
    unit = role_users["unit_clerk"].unit
    past = today - timedelta(days=4)
    notice = make_notice(
        meeting,
        role_users["clerk"],
        [TaskData(title="Đã quá hạn", unit=unit, deadline=past)],
        issue=False,
    )
    task = notice.tasks.get()
    url = reverse("tasks:notice_edit", args=[notice.pk])
    rows = {
        "tasks-TOTAL_FORMS": "3",
        "tasks-INITIAL_FORMS": "1",
        "tasks-0-id": str(task.pk),
        "tasks-0-title": "Đã quá hạn, sửa tên",
        "tasks-0-unit": str(unit.pk),
        "tasks-0-deadline": d(past),
        "tasks-1-title": "",
    }
    client = client_for("clerk")
    assert client.post(url, _notice_post(today, **rows)).status_code == 302
    task.refresh_from_db()
    assert task.title == "Đã quá hạn, sửa tên" and task.deadline == past

    # Moved to another day already past: refused.
    earlier = today - timedelta(days=6)
    moved = client.post(url, _notice_post(today, **{**rows, "tasks-0-deadline": d(earlier)}))
    assert PAST.format(day=d(earlier), today=d(today)) in moved.content.decode()
    # The same past day on a new row (not the task saved with it): refused too.
    copied = {
        **rows,
        "tasks-1-title": "Nhiệm vụ mới",
        "tasks-1-unit": str(unit.pk),
        "tasks-1-deadline": d(past),
    }
    refused = client.post(url, _notice_post(today, **copied))
    assert PAST.format(day=d(past), today=d(today)) in refused.content.decode()
    task.refresh_from_db()
    assert task.deadline == past and notice.tasks.count() == 1


def test_cooperating_units_are_ticked_in_a_searchable_list(
    client_for, meeting, today, department, other_department
):
    url = reverse("tasks:notice_create", args=[meeting.pk])
    page = client_for("clerk").get(url).content.decode()
    assert not re.search(r"<select[^>]*multiple", page)
    assert f'type="checkbox" name="tasks-0-cooperating" value="{other_department.pk}"' in page
    assert re.search(r'<input[^>]*data-checklist-search[^>]*aria-label="Tìm đơn vị phối hợp"', page)
    third = type(department).objects.create(code="SNV", name="Sở Nội vụ", short_name="SNV")
    data = _notice_post(
        today,
        **{
            "tasks-0-unit": str(department.pk),
            "tasks-0-cooperating": [str(other_department.pk), str(third.pk)],
        },
    )
    assert client_for("clerk").post(url, data).status_code == 302
    task = Notice.objects.get().tasks.get()
    assert set(task.cooperating.all()) == {other_department, third}


def test_a_task_row_is_added_from_the_empty_form(client_for, meeting, today, department):
    url = reverse("tasks:notice_create", args=[meeting.pk])
    page = client_for("clerk").get(url).content.decode()
    assert re.search(r"<button[^>]*data-formset-add[^>]*>.*Thêm nhiệm vụ</button>", page)
    template = page[page.index("<template data-formset-template>") :]
    template = template[: template.index("</template>")]
    assert 'name="tasks-__prefix__-title"' in template
    assert 'name="tasks-__prefix__-cooperating"' in template
    assert "js/task_rows.js" in page
    # What the browser sends once a third row was added and filled.
    rows = {"tasks-TOTAL_FORMS": "3", "tasks-0-unit": str(department.pk)}
    for n in (1, 2):
        rows |= {
            f"tasks-{n}-title": f"Nhiệm vụ thêm {n}",
            f"tasks-{n}-unit": str(department.pk),
            f"tasks-{n}-deadline": d(today + timedelta(days=n)),
        }
    assert client_for("clerk").post(url, _notice_post(today, **rows)).status_code == 302
    titles = list(Notice.objects.get().tasks.order_by("id").values_list("title", flat=True))
    assert titles == ["Hoàn thiện đề án", "Nhiệm vụ thêm 1", "Nhiệm vụ thêm 2"]


def test_without_javascript_every_filled_row_brings_blank_ones(
    client_for, meeting, today, department, role_users
):
    url = reverse("tasks:notice_create", args=[meeting.pk])
    rows = {
        "tasks-0-unit": str(department.pk),
        "tasks-1-title": "Nhiệm vụ thứ hai",
        "tasks-1-unit": str(department.pk),
        "tasks-1-deadline": "",  # forgotten: the form comes back
    }
    response = client_for("clerk").post(url, _notice_post(today, **rows))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == 4
    assert formset.forms[1]["title"].value() == "Nhiệm vụ thứ hai"
    assert formset.forms[1].errors["deadline"]
    assert not formset.forms[2].errors and not formset.forms[3]["title"].value()
    # A saved notice opens with its tasks and two blank rows.
    notice = make_notice(
        meeting,
        role_users["clerk"],
        [
            TaskData(title=f"Đã lưu {n}", unit=department, deadline=today + timedelta(days=n))
            for n in (1, 2)
        ],
        issue=False,
    )
    edit = client_for("clerk").get(reverse("tasks:notice_edit", args=[notice.pk]))
    assert edit.context["formset"].total_form_count() == 4


def test_a_huge_row_count_builds_no_more_rows_than_a_notice_may_hold(client_for, meeting, today):
    """A posted TOTAL_FORMS of 10**20 gives the refusal with at most MAX_TASKS rows (Django's own
    bound would build and show 1 100)."""
    from tasks.services import MAX_TASKS

    url = reverse("tasks:notice_create", args=[meeting.pk])
    data = _notice_post(today, **{"tasks-TOTAL_FORMS": str(10**20)})
    response = client_for("clerk").post(url, data)
    assert response.status_code == 200
    rows = set(re.findall(r'name="tasks-(\d+)-title"', response.content.decode()))
    assert 0 < len(rows) <= MAX_TASKS
    assert not Notice.objects.exists()
