"""Fixtures every test may use: one account per role, on the units the roles belong to."""

import pytest
from django.test import Client

from accounts.models import Unit, User
from accounts.tests.factories import TEST_PASSWORD, UnitFactory, UserFactory
from core.testing.s3 import (  # noqa: F401 (fixtures: a real S3 server)
    each_storage,
    s3_server,
    s3_storage,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a page cached by one test must not answer another."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def document_processing(settings):
    """Each new document version is converted, read for search and checked for signatures, as in
    production (documents.processing); off in the rest of the suite (config/settings/test.py)."""
    settings.DOCUMENT_PROCESSING = True


ROLES = [
    "anonymous",
    "member",
    "unit_clerk",
    "unit_leader",
    "secretary",
    "clerk",
    "admin",
    "outsider",
]


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
def role_users(db, office, department, other_department) -> dict[str, User]:
    """The shared cast: the office's clerk, secretary and admin; a department's leader, its unit
    account (unit clerk) and a member of its staff; and the unit account of another department
    that the test meetings do not invite (the outsider)."""
    return {
        "admin": UserFactory(username="admin1", role=User.Role.ADMIN, unit=office),
        "clerk": UserFactory(username="clerk1", role=User.Role.CLERK, unit=office),
        "secretary": UserFactory(username="secretary1", role=User.Role.SECRETARY, unit=office),
        "unit_leader": UserFactory(username="leader1", role=User.Role.UNIT_LEADER, unit=department),
        "unit_clerk": UserFactory(
            username="unitclerk1", role=User.Role.UNIT_CLERK, kind=User.Kind.UNIT, unit=department
        ),
        "member": UserFactory(username="member1", role=User.Role.MEMBER, unit=department),
        "outsider": UserFactory(
            username="outsider1",
            role=User.Role.UNIT_CLERK,
            kind=User.Kind.UNIT,
            unit=other_department,
        ),
    }


@pytest.fixture
def client_for(role_users):
    """A signed-in test client for a role name ("anonymous" gives a fresh client). Accounts whose
    role must use two-factor sign-in (admins and clerks by default) are enrolled and their session
    verified, as after the code step."""
    from accounts.tests.factories import verify_session
    from accounts.two_factor import required_for

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(role_users[role])
            if required_for(role_users[role]):
                verify_session(client, role_users[role])
        return client

    return make


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def meetings(role_users, department) -> dict:
    """The office's meetings: a draft and a published one inviting the department, whose
    secretary is the office's secretary, each with a document; the published one's document has an
    older version."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import document_replace
    from meetings.tests.factories import make_document, make_meeting, pdf_bytes, publish

    clerk = role_users["clerk"]
    draft = make_meeting(by=clerk, title="Dự thảo họp", units=[department])
    published = make_meeting(
        by=clerk,
        title="Họp bàn kế hoạch năm",
        units=[department],
        secretary=role_users["secretary"],
    )
    publish(published, clerk)
    document = make_document(published, clerk, "Kế hoạch.pdf")
    old_version = document.current
    document_replace(
        document=document,
        by=clerk,
        uploaded=SimpleUploadedFile("Kế hoạch v2.pdf", pdf_bytes("v2")),
    )
    document.refresh_from_db()
    return {
        "draft": draft,
        "published": published,
        "document": document,
        "old_version": old_version,
        "draft_document": make_document(draft, clerk, "Dự thảo.pdf"),
    }
