"""The task's history names who acted once: a unit account is its unit."""

import re

from django.urls import reverse

from tasks import services


def _history(client, task) -> str:
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    return re.search(r'<ol [^>]*id="task-history">(.*?)</ol>', page, re.S).group(1)


def test_a_unit_account_is_not_followed_by_its_own_unit(client_for, issued, role_users):
    task = issued["mine"]
    unit_account = role_users["unit_clerk"]
    unit_account.full_name = unit_account.unit.name  # unit accounts carry their unit's name
    unit_account.save()
    services.task_report(task=task, by=unit_account, note="Đang rà soát.")

    history = _history(client_for("clerk"), task)
    assert "Sở Tài chính · Sở Tài chính" not in history
    assert history.count("Sở Tài chính") == 1


def test_a_person_is_followed_by_their_unit(client_for, issued, role_users):
    task = issued["mine"]
    leader = role_users["unit_leader"]
    leader.full_name = "Nguyễn Thị Lan"
    leader.save()
    services.task_report(task=task, by=leader, note="Đang rà soát.")

    assert "Nguyễn Thị Lan · Sở Tài chính" in _history(client_for("clerk"), task)
