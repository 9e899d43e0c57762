"""Who approves the minutes, named where it matters: on the minutes page (the chair, or the
organiser unit's leaders standing in for a chair without an account, or nobody yet) and on the
approver's dashboard, whose to-do list holds the minutes waiting for them."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from minutes import services

pytestmark = pytest.mark.django_db

# The row of the dashboard's to-do list that asks to approve minutes.
WAITING = 'data-todo-kind="minutes_approve"'


def test_page_names_the_chair_who_approves(held, role_users, client_for):
    services.minutes_start(meeting=held["meeting"], by=role_users["secretary"])
    page = client_for("secretary").get(reverse("minutes:detail", args=[held["meeting"].pk]))
    text = page.content.decode()
    assert "Người phê duyệt" in text
    assert "Trần Văn Chủ Trì, Phó Chủ tịch UBND tỉnh" in text


def test_page_names_the_unit_leaders_when_the_chair_has_no_account(bare, role_users, client_for):
    services.minutes_start(meeting=bare, by=role_users["secretary"])
    url = reverse("minutes:detail", args=[bare.pk])
    text = client_for("secretary").get(url).content.decode()
    # Nobody may approve yet: the page says so and what to do.
    assert "Nguyễn Chưa Có Tài Khoản" in text and "chưa có tài khoản" in text
    assert "chưa ai phê duyệt được" in text
    UserFactory(full_name="Lê Lãnh Đạo", role=User.Role.UNIT_LEADER, unit=bare.organiser_unit)
    UserFactory(
        full_name="Cũ Đã Nghỉ",
        role=User.Role.UNIT_LEADER,
        unit=bare.organiser_unit,
        is_active=False,
    )
    text = client_for("secretary").get(url).content.decode()
    assert "lãnh đạo đơn vị tổ chức" in text and "Lê Lãnh Đạo" in text
    assert "Cũ Đã Nghỉ" not in text and "chưa ai phê duyệt được" not in text


def test_dashboard_lists_minutes_waiting_for_the_chair(held, role_users, client_for):
    from django.test import Client

    meeting = held["meeting"]
    minutes = services.minutes_start(meeting=meeting, by=role_users["secretary"])
    chair = Client()
    chair.force_login(held["chair"])
    board = chair.get(reverse("portal:dashboard")).content.decode()
    assert WAITING in board
    assert reverse("minutes:approve", args=[meeting.pk]) in board
    assert meeting.title in board and "chủ trì" in board
    for role in ("secretary", "unit_leader", "member"):
        other = client_for(role).get(reverse("portal:dashboard")).content.decode()
        assert WAITING not in other, role
    services.minutes_approve(
        minutes=minutes, by=held["chair"], version=1, number="3/BB-VP", place=""
    )
    board = chair.get(reverse("portal:dashboard")).content.decode()
    assert WAITING not in board


def test_dashboard_lists_minutes_for_the_leader_standing_in(bare, role_users):
    from django.test import Client

    services.minutes_start(meeting=bare, by=role_users["secretary"])
    leader = UserFactory(role=User.Role.UNIT_LEADER, unit=bare.organiser_unit)
    client = Client()
    client.force_login(leader)
    board = client.get(reverse("portal:dashboard")).content.decode()
    assert WAITING in board
    assert reverse("minutes:approve", args=[bare.pk]) in board
    assert "lãnh đạo đơn vị tổ chức" in board and "Nguyễn Chưa Có Tài Khoản" in board
    # Once the chair has an account, the chair approves, not the leader.
    UserFactory(person=bare.chair, unit=bare.organiser_unit)
    board = client.get(reverse("portal:dashboard")).content.decode()
    assert WAITING not in board
