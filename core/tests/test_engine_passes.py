"""Which tests `make test` runs once (marker engine_independent, conftest.py) and which it runs on
both SQLite and PostgreSQL: a test whose outcome may depend on the engine must never lose its
second pass, and every test runs at least once."""

import pytest

from conftest import ROOT, runs_once


def test_a_test_without_the_database_runs_once(request) -> None:
    assert request.node.get_closest_marker("engine_independent") is not None


@pytest.mark.django_db
def test_a_test_with_the_database_runs_on_both(request) -> None:
    assert request.node.get_closest_marker("engine_independent") is None


@pytest.mark.parametrize(
    ("path", "browser", "database", "once"),
    [
        # the browser tests, the walk over every URL, Schemathesis, the multi-node test
        ("browser_tests/test_menu.py", False, True, True),
        ("meetings/tests/test_views.py", True, True, True),
        ("core/tests/test_no_server_errors.py", False, True, True),
        ("api/tests/test_schema.py", False, True, True),
        ("deploy/tests/test_multi_node.py", False, False, True),
        # files made and read back: once
        ("doctext/tests/test_extract.py", False, True, True),
        ("minutes/tests/test_document_layout.py", False, True, True),
        # the database's own reads and writes: both engines
        ("meetings/tests/test_search.py", False, True, False),
        ("core/tests/test_authorisation_matrix.py", False, True, False),
        # no database at all: once
        ("core/tests/test_dates.py", False, False, True),
        # subprocesses on the suite's own database (its address from the environment): both
        ("notifications/tests/test_workers.py", False, False, False),
        # subprocesses on a database of their own: once
        ("deploy/tests/test_upgrade.py", False, False, True),
        ("operations/tests/test_live.py", False, False, True),
    ],
)
def test_which_tests_run_once(path: str, browser: bool, database: bool, once: bool) -> None:
    assert (ROOT / path).exists(), path
    assert runs_once(ROOT / path, browser=browser, uses_database=database) is once
