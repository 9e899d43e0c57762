"""Fixtures every test may use: one account per role, on the units the roles belong to."""

import pytest
from django.test import Client

from accounts.models import Unit, User
from accounts.tests.factories import TEST_PASSWORD, UnitFactory, UserFactory

ROLES = ["anonymous", "member", "unit_clerk", "unit_leader", "secretary", "clerk", "admin"]


@pytest.fixture
def office(db) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        code="VPUBND",
        defaults={
            "name": "Văn phòng UBND tỉnh",
            "kind": Unit.Kind.PROVINCIAL_OFFICE,
            "may_organise": True,
        },
    )
    return unit


@pytest.fixture
def department(db) -> Unit:
    return UnitFactory(code="STC", name="Sở Tài chính", short_name="STC")


@pytest.fixture
def other_department(db) -> Unit:
    return UnitFactory(code="SKHDT", name="Sở Kế hoạch và Đầu tư", short_name="SKHĐT")


@pytest.fixture
def role_users(db, office, department) -> dict[str, User]:
    """The shared cast: the office's clerk, secretary and admin; a department's leader, its unit
    account (unit clerk) and a member of its staff."""
    return {
        "admin": UserFactory(username="admin1", role=User.Role.ADMIN, unit=office),
        "clerk": UserFactory(username="clerk1", role=User.Role.CLERK, unit=office),
        "secretary": UserFactory(username="secretary1", role=User.Role.SECRETARY, unit=office),
        "unit_leader": UserFactory(username="leader1", role=User.Role.UNIT_LEADER, unit=department),
        "unit_clerk": UserFactory(
            username="unitclerk1", role=User.Role.UNIT_CLERK, kind=User.Kind.UNIT, unit=department
        ),
        "member": UserFactory(username="member1", role=User.Role.MEMBER, unit=department),
    }


@pytest.fixture
def client_for(role_users):
    """A signed-in test client for a role name ("anonymous" gives a fresh client)."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(role_users[role])
        return client

    return make


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD
