"""How the database connection is set up from DATABASE_URL (config/settings/base.py)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import User

PRINT_OPTIONS = (
    "import json; from config.settings import base; "
    "print(json.dumps(base.DATABASES['default'].get('OPTIONS', {})))"
)


def options_with(**env: str) -> dict:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINT_OPTIONS],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": "postgres://hkg@db.example/hkg", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_postgresql_connections_turn_jit_off_unless_told_otherwise() -> None:
    assert "-c jit=off" in options_with()["options"]
    assert "-c jit=on" in options_with(PG_JIT="on")["options"]
    assert "-c random_page_cost=1.1" in options_with(PG_JIT="on")["options"]


@pytest.mark.django_db
def test_the_suite_s_postgresql_connection_runs_without_jit() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_postgresql_connections_prepare_the_queries_they_run_often_unless_told_otherwise() -> None:
    on = options_with()
    assert on["server_side_binding"] is True and on["prepare_threshold"] == 5
    off = options_with(PG_PREPARED_STATEMENTS="off")
    assert "server_side_binding" not in off and "prepare_threshold" not in off
    refused = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINT_OPTIONS],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": "postgres://hkg@db.example/hkg",
            "PG_PREPARED_STATEMENTS": "yes",
        },
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "PG_PREPARED_STATEMENTS must be on or off" in refused.stderr


@pytest.mark.django_db
def test_the_suite_s_postgresql_connection_prepares_a_query_run_often() -> None:
    """The suite's PostgreSQL pass runs with prepared statements, as a server does: a query run
    five times is prepared on the connection, and gives the same rows."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    rows = [list(User.objects.filter(pk__gte=0).values_list("pk", flat=True)) for _ in range(6)]
    assert all(found == rows[0] for found in rows)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "accounts_user" WHERE "accounts_user"."id" >= $1%'],
        )
        assert cursor.fetchone()[0] == 1
