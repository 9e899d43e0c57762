"""Fixtures every test may use: one account per role, on the units the roles belong to."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from accounts.models import Unit, User
from accounts.tests.factories import TEST_PASSWORD, UnitFactory, UserFactory
from core.testing import flush
from core.testing.s3 import (  # noqa: F401 (fixtures: a real S3 server)
    each_storage,
    s3_server,
    s3_storage,
)

ROOT = Path(__file__).resolve().parent

# A test that commits is followed by deleting the rows, not Django's TRUNCATE of every table
# (core/testing/flush.py: seconds saved on each browser test on PostgreSQL).
flush.install()

# ---- which pass runs each test ----------------------------------------------------------------
# `make test` (scripts/test.sh) runs the suite on SQLite and, when a server answers, on
# PostgreSQL. Every test runs at least once; a test runs in both passes only when its outcome may
# depend on the engine (ENGINE_DEPENDENT below: the database's own work, where the two engines
# differ). The others run once:
# - on PostgreSQL when a server answers (marker `engine_independent`): the browser tests, the walk
#   over every URL, Schemathesis, the multi-node test and the other files of ENGINE_INDEPENDENT,
#   and every test that touches no database (pure functions, file parsing, subprocesses with
#   their own database), unless its module reads DATABASE_URL to start processes on the suite's
#   database. The server's engine is the scale-out one; these tests take every page through it.
# - on SQLite (markers `engine_independent` and `once_on_sqlite`): the other tests that use the
#   database, whose rows are the same plain reads and writes on both engines (pages, forms,
#   rules, exports): SQLite is the embedded default a single office runs, and the cheaper of the
#   two to run them on.
# Without a PostgreSQL server, the SQLite pass runs everything.
ENGINE_INDEPENDENT = (
    "browser_tests/",  # Chromium through the real pages (and load_demo)
    "core/tests/test_no_server_errors.py",  # the walk over every URL as every role
    "api/tests/test_schema.py",  # Schemathesis over the API's description
    "api/tests/test_generated_client.py",  # a client generated from it, against a live server
    "core/tests/test_limits.py",  # counts in the cache (and Redis), not in the database
    "api/tests/test_limits.py",
    "deploy/tests/test_multi_node.py",  # starts its own cluster on PostgreSQL in either pass
    "core/tests/test_office_files.py",  # LibreOffice opens every Word and Excel file we write
    # Files made and read: their bytes and text, not the rows around them, are what is tested.
    "doctext/tests/test_extract.py",  # text read from each kind of file, and each way it fails
    "viewer/tests/test_conversion.py",  # Word to PDF through LibreOffice
    "signatures/tests/test_checking.py",  # the signatures inside PDFs checked with pyHanko
    "documents/tests/test_memory.py",  # 300 MB up and down through a live server
    "documents/tests/test_zip_bombs.py",  # bombs refused in bounded memory
    "exports/tests/test_archive_records.py",  # the archive's PDF/A records read back
    "meetings/tests/test_invitation_layout.py",  # the invitation's Word and PDF layout
    "minutes/tests/test_document_layout.py",  # the minutes' Word and PDF layout
    "tasks/tests/test_notice_document.py",  # the conclusion notice's Word and PDF layout
    "opinions/tests/test_summary.py",  # the opinion summary's page, Word and PDF
    "notifications/tests/test_sms.py",  # counted at the SMSC behind a real Jasmin
    "accounts/tests/test_sso.py",  # single sign-on through a real provider in its own process
    "packs/tests/test_pack.py",  # the meeting pack read back with pypdf
    "packs/tests/test_memory.py",  # a 96 MB pack built in flat memory
)
# The tests whose outcome may depend on the engine: both passes.
ENGINE_DEPENDENT = (
    # Search: trigram indexes and their plans on PostgreSQL, another way on SQLite.
    "meetings/tests/test_search.py",
    "meetings/tests/test_search_refresh.py",
    "doctext/tests/test_search.py",
    "doctext/tests/test_search_ways.py",
    "portal/tests/test_plans.py",  # EXPLAIN on PostgreSQL
    # Figures: dates truncated and counted in SQL, kept counts updated with F() expressions.
    "reports/tests/",
    "tasks/tests/test_figures.py",
    # Races, locks and the outbox's claiming (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL).
    "room/tests/test_concurrency.py",
    "voting/tests/test_concurrency.py",
    "meetings/tests/test_no_lost_update.py",
    # Triggers: each engine has its own (an invitation keeps its meeting's start).
    "meetings/tests/test_invitation_start.py",
    "notifications/tests/test_workers.py",
    "notifications/tests/test_faults.py",
    "accounts/tests/test_sessions.py",  # sessions written from several connections
    # Query counts: what each engine's backend sends (RETURNING, savepoints) may differ.
    "core/tests/test_query_counts.py",
    "meetings/tests/test_query_counts.py",
    "calendars/tests/test_query_counts.py",
    "voting/tests/test_cast_cost.py",
    "voting/tests/test_polls_from_cache.py",
    # The to-do count: each kind's compiled SQL joined into one statement as text (portal.todo);
    # queries kept per shape of account, their times put in as each engine takes them.
    "portal/tests/test_todo.py",
    "accounts/tests/test_kept.py",
    "notifications/tests/test_notifications.py",
    # The database itself: backups, settings, generated data.
    "core/tests/test_backup.py",
    "core/tests/test_database_settings.py",
    "portal/tests/test_generate.py",
    "operations/tests/test_readyz.py",
    # The data layer's queries: unions and subqueries of who sees what, transactions of the
    # services (a failed statement ends PostgreSQL's transaction, not SQLite's), dates and time
    # zones in lookups, the audit log's JSON.
    "meetings/tests/test_services.py",
    "meetings/tests/test_visibility.py",
    "opinions/tests/test_services.py",
    "calendars/tests/test_week_month.py",
    "core/tests/test_audit_log.py",
)
# Modules that name DATABASE_URL only to give their subprocesses a database of their own.
OWN_DATABASE = (
    "core/tests/test_security.py",  # check --deploy without any database
    "deploy/tests/test_upgrade.py",  # the previous release on a SQLite file
    "operations/tests/test_live.py",  # a PostgreSQL address where nothing answers
)
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "django_db_setup",
    "live_server",
}


@cache
def _reads_database_url(path: Path) -> bool:
    return "DATABASE_URL" in path.read_text(encoding="utf-8")


def pass_for_file(path: Path, *, browser: bool, uses_database: bool) -> str:
    """Which pass runs the tests of this file, so marked and using the database or not:
    "both", "postgresql" (once, the SQLite pass when there is no server) or "sqlite" (once)."""
    relative = path.resolve().relative_to(ROOT).as_posix()
    if browser or relative.startswith(ENGINE_INDEPENDENT):
        return "postgresql"
    if relative.startswith(ENGINE_DEPENDENT):
        return "both"
    if not uses_database:
        if relative.startswith(OWN_DATABASE) or not _reads_database_url(path):
            return "postgresql"
        return "both"  # subprocesses on the suite's own database
    return "sqlite"


def pass_of(item: pytest.Item) -> str:
    uses_database = item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )
    return pass_for_file(
        Path(str(item.path)),
        browser=item.get_closest_marker("browser") is not None,
        uses_database=uses_database,
    )


# The longest tests start first: pytest-xdist hands out the first quarter of the tests in turn and
# the rest to whichever worker is free, so a long test left to the end keeps one core busy alone.
SLOW_FIRST = (
    "core/tests/test_no_server_errors.py",
    "portal/tests/test_plans.py",
    "deploy/tests/test_multi_node.py",
    "notifications/tests/test_workers.py",
    "browser_tests/test_journeys.py",
    "core/tests/test_office_files.py",
    "reports/tests/test_kept_figures.py",
    "core/tests/test_backup.py",
    "api/tests/test_schema.py",
    "documents/tests/test_memory.py",
    "meetings/tests/test_query_counts.py",
    "browser_tests/test_meeting_room.py",
    "accounts/tests/test_sso.py",
    "notifications/tests/test_sms.py",
    "packs/tests/test_memory.py",
    "browser_tests/test_sso.py",
    "browser_tests/test_offline.py",
)


def _starts_first(item: pytest.Item) -> bool:
    return Path(str(item.path)).resolve().relative_to(ROOT).as_posix().startswith(SLOW_FIRST)


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        which = pass_of(item)
        if which != "both":
            item.add_marker(pytest.mark.engine_independent)
        if which == "sqlite":
            item.add_marker(pytest.mark.once_on_sqlite)
    items.sort(key=lambda item: not _starts_first(item))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a page cached by one test must not answer another."""
    from django.core.cache import cache

    cache.clear()
    yield


def count_menu_once_per_account(monkeypatch: pytest.MonkeyPatch, counts: dict[int, int]) -> None:
    """The menu's to-do count (portal.menu_count), counted once per account in `counts` and then
    given from there: for the tests that send thousands of requests over rows that stay as they
    are (the authorisation matrix, the walk over every URL), where emptying the cache before each
    request made every page count it again, a third of their time. The count reads no input of
    the request; its own tests (portal/tests/test_menu_count.py, test_todo.py) count it afresh."""
    from portal import menu_count, todo

    def once(request: Any) -> int:
        pk = getattr(request.user, "pk", None)
        if pk is None:
            return todo.count_for_request(request)
        if pk not in counts:
            counts[pk] = todo.count_for_request(request)
        return counts[pk]

    monkeypatch.setattr(menu_count, "count_for_request", once)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English activates English for the
    thread (as every request activates its own), which must not carry into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


def make_office() -> Unit:
    unit, _ = Unit.objects.update_or_create(
        code="VPUBND",
        defaults={
            "name": "Văn phòng UBND tỉnh",
            "kind": Unit.Kind.PROVINCIAL_OFFICE,
            "may_organise": True,
        },
    )
    return unit


def make_department() -> Unit:
    return UnitFactory(code="STC", name="Sở Tài chính", short_name="STC")


def make_other_department() -> Unit:
    return UnitFactory(code="SKHDT", name="Sở Kế hoạch và Đầu tư", short_name="SKHĐT")


def make_role_users(office: Unit, department: Unit, other_department: Unit) -> dict[str, User]:
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


def make_clients(role_users: dict[str, User]) -> Callable[[str], Client]:
    """`client_for` over a given cast of role users."""
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


@contextmanager
def rows_for_module(django_db_blocker: Any) -> Iterator[None]:
    """Rows that many tests of a module read, made once (Django's TestCase.setUpTestData): inside
    a transaction that stays open while the module's tests run, each test's own transaction
    nesting in it as a savepoint rolled back after the test, and rolled back itself at the end.
    Use it in a module-scoped fixture that also asks for `django_db_setup`; the tests that read
    the rows ask for `db` (never `transactional_db`) and must not change the Python objects."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def office(db) -> Unit:
    return make_office()


@pytest.fixture
def department(db) -> Unit:
    return make_department()


@pytest.fixture
def other_department(db) -> Unit:
    return make_other_department()


@pytest.fixture
def role_users(db, office, department, other_department) -> dict[str, User]:
    """The shared cast (make_role_users)."""
    return make_role_users(office, department, other_department)


@pytest.fixture
def client_for(role_users) -> Callable[[str], Client]:
    """A signed-in test client for a role name ("anonymous" gives a fresh client). Accounts whose
    role must use two-factor sign-in (admins and clerks by default) are enrolled and their session
    verified, as after the code step."""
    return make_clients(role_users)


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


def make_meetings(role_users: dict[str, User], department: Unit) -> dict:
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


@pytest.fixture
def meetings(role_users, department) -> dict:
    """The office's meetings (make_meetings)."""
    return make_meetings(role_users, department)
