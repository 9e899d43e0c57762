"""The meeting pages run the same number of SQL queries with 5 (lists: 60) and with 200 invitees,
documents, meetings and downloads: nothing is fetched row by row."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from auditlog.context import disable_auditlog
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.sessions import seen_mark
from accounts.tests.factories import UnitFactory, UserFactory
from conftest import (
    make_clients,
    make_department,
    make_office,
    make_other_department,
    make_role_users,
    rows_for_module,
)
from core import batching
from documents.models import Document, DocumentVersion, Download
from meetings.models import Invitation, Meeting, Receipt
from meetings.tests.factories import catalog, make_meeting, publish
from portal.todo import COUNT_ALIAS

FIGURES: dict[str, tuple[int, int]] = {}
# What only the to-do count's query selects: its counts, each named after its kind.
TODO_COUNT_QUERY = f'AS "{COUNT_ALIAS}'


def count(client, url: str) -> int:
    cache.clear()  # the page as rendered, not as served from the public pages' cache
    session = client.session
    if session.session_key:
        # The session back in the cache, where every request but a browser's first finds it
        # (SESSION_ENGINE cached_db).
        session.load()
        # "Last seen" is written once a minute; a slow run crossing that minute between two
        # measures would count the write in one of them.
        cache.set(seen_mark(session.session_key), True, 600)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    # The menu's to-do count is one query, or none where the dashboard's list is whole (fewer
    # rows than each source lists: portal.todo, tested in portal/tests/test_todo.py). The pages
    # are compared without it, as their own reads.
    return len([q for q in queries if TODO_COUNT_QUERY not in q["sql"]])


def grow(meeting: Meeting, clerk: User, department, n: int) -> None:
    """n more invited units (each with an account that viewed and downloaded), n more documents,
    and n more meetings inviting the department. The rows are written as a batch (the kept
    figures of the reports counted once at the end) and without the audit log: three quarters of
    the time otherwise, and neither is what these pages read."""
    with batching.batch(), disable_auditlog():
        _grow(meeting, clerk, department, n)


def _grow(meeting: Meeting, clerk: User, department, n: int) -> None:
    version = None
    start = len(Document.objects.filter(meeting=meeting))
    for i in range(start, start + n):
        document = Document.objects.create(
            meeting=meeting, title=f"Tài liệu {i}", created_by=clerk, order=i
        )
        version = DocumentVersion.objects.create(
            document=document,
            file=f"documents/test/{i}",
            original_name=f"Tài liệu {i}.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            uploaded_by=clerk,
        )
        document.current = version
        document.save(update_fields=["current"])
        unit = UnitFactory()
        Invitation.objects.create(meeting=meeting, unit=unit)
        account = UserFactory(unit=unit)
        Receipt.objects.create(
            meeting=meeting,
            user=account,
            unit=unit,
            first_viewed_at=timezone.now(),
            last_viewed_at=timezone.now(),
            view_count=1,
        )
        Download.objects.create(
            document=document, version=version, meeting=meeting, user=account, unit=unit
        )
        start_at = timezone.now() + timedelta(days=i % 10, hours=1)
        Meeting.objects.create(
            title=f"Cuộc họp {i}",
            start_at=start_at,
            end_at=start_at + timedelta(hours=1),
            organiser_unit=clerk.unit,
            created_by=clerk,
            status=Meeting.Status.PUBLISHED,
            published_at=timezone.now(),
            **catalog(),
        ).invitations.create(unit=department)


PAGES = [
    ("unit_clerk", "dashboard"),
    ("clerk", "dashboard"),
    ("unit_clerk", "list"),
    ("clerk", "list"),
    ("unit_clerk", "detail"),
    ("clerk", "detail"),
    ("clerk", "receipts"),
    ("unit_clerk", "print_documents"),
    ("unit_clerk", "print_invitation"),
    ("anonymous", "schedule"),
]
# Lists count their rows (up to a bound) only when they span pages: they start past one page.
FIRST = {"list": 60, "schedule": 60}


@pytest.fixture(scope="module")
def measured(
    django_db_setup, django_db_blocker
) -> Iterator[dict[tuple[str, str], tuple[int, int]]]:
    """The queries of each page with its first number of rows (5, lists 60) and with 200, the
    rows grown once for all the pages (each page is measured at its own steps)."""
    with rows_for_module(django_db_blocker):
        department = make_department()
        role_users = make_role_users(make_office(), department, make_other_department())
        clients = make_clients(role_users)
        clerk = role_users["clerk"]
        meeting = make_meeting(by=clerk, units=[department])
        publish(meeting, clerk)
        urls = {
            "dashboard": reverse("portal:dashboard"),
            "list": reverse("meetings:list"),
            "detail": reverse("meetings:detail", args=[meeting.pk]),
            "receipts": reverse("meetings:receipts", args=[meeting.pk]),
            "print_documents": reverse("meetings:print_documents", args=[meeting.pk]),
            "print_invitation": reverse("meetings:print_invitation", args=[meeting.pk]),
            "schedule": reverse("meetings:schedule") + "?period=all",
        }
        client_of = {role: clients(role) for role in {role for role, _ in PAGES}}
        few: dict[tuple[str, str], int] = {}
        rows = 0
        for step in sorted({FIRST.get(page, 5) for _, page in PAGES}):
            grow(meeting, clerk, department, step - rows)
            rows = step
            for role, page in PAGES:
                if FIRST.get(page, 5) == step:
                    # The first visit records the receipt; measure the steady state.
                    client_of[role].get(urls[page])
                    few[role, page] = count(client_of[role], urls[page])
        grow(meeting, clerk, department, 200 - rows)
        yield {
            (role, page): (few[role, page], count(client_of[role], urls[page]))
            for role, page in PAGES
        }


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "page"), PAGES)
def test_meeting_pages_do_not_grow_with_data(measured, role, page):
    few, many = measured[role, page]
    first = FIRST.get(page, 5)
    print(f"{role} {page}: {few} queries with {first}, {many} with 200")
    assert few == many, f"{page}: {few} queries with {first} rows, {many} with 200"
