"""Which pass of `make test` runs each test (conftest.py): a test whose outcome may depend on the
engine must never lose its second pass, and every test runs at least once."""

import pytest

from conftest import ENGINE_DEPENDENT, ENGINE_INDEPENDENT, ROOT, pass_for_file


def test_a_test_without_the_database_runs_once_on_postgresql(request) -> None:
    assert request.node.get_closest_marker("engine_independent") is not None
    assert request.node.get_closest_marker("once_on_sqlite") is None


@pytest.mark.django_db
def test_a_test_with_the_database_of_a_module_not_listed_runs_once_on_sqlite(request) -> None:
    assert request.node.get_closest_marker("engine_independent") is not None
    assert request.node.get_closest_marker("once_on_sqlite") is not None


@pytest.mark.parametrize(
    ("path", "browser", "database", "where"),
    [
        # the browser tests, the walk over every URL, Schemathesis, the multi-node test
        ("browser_tests/test_menu.py", False, True, "postgresql"),
        ("meetings/tests/test_views.py", True, True, "postgresql"),
        ("core/tests/test_no_server_errors.py", False, True, "postgresql"),
        ("api/tests/test_schema.py", False, True, "postgresql"),
        ("deploy/tests/test_multi_node.py", False, False, "postgresql"),
        # files made and read back
        ("doctext/tests/test_extract.py", False, True, "postgresql"),
        ("minutes/tests/test_document_layout.py", False, True, "postgresql"),
        # the database's own work: both engines
        ("meetings/tests/test_search.py", False, True, "both"),
        ("reports/tests/test_figures.py", False, True, "both"),
        ("voting/tests/test_concurrency.py", False, True, "both"),
        ("meetings/tests/test_query_counts.py", False, True, "both"),
        ("meetings/tests/test_visibility.py", False, True, "both"),
        # pages, forms and rules over plain rows: once, on SQLite
        ("core/tests/test_authorisation_matrix.py", False, True, "sqlite"),
        ("meetings/tests/test_views.py", False, True, "sqlite"),
        ("attendance/tests/test_attendance.py", False, True, "sqlite"),
        # no database at all: once
        ("core/tests/test_dates.py", False, False, "postgresql"),
        # subprocesses on the suite's own database (its address from the environment): both
        ("notifications/tests/test_workers.py", False, False, "both"),
        # subprocesses on a database of their own: once
        ("deploy/tests/test_upgrade.py", False, False, "postgresql"),
        ("operations/tests/test_live.py", False, False, "postgresql"),
    ],
)
def test_which_pass_runs_a_test(path: str, browser: bool, database: bool, where: str) -> None:
    assert (ROOT / path).exists(), path
    assert pass_for_file(ROOT / path, browser=browser, uses_database=database) == where


def test_every_file_named_for_both_passes_exists() -> None:
    missing = [name for name in ENGINE_DEPENDENT + ENGINE_INDEPENDENT if not (ROOT / name).exists()]
    assert not missing, missing
