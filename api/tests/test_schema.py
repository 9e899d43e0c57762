"""Schemathesis runs every operation of the API from its own OpenAPI description, with a valid
token of an organiser: no answer is a server error, and every answer (status, content type,
body) is one the description promises."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema() -> object:
    # Loaded when the tests are collected (the description needs no database); a fixture-loaded
    # schema (schemathesis.pytest.from_fixture) does not work with pytest 9 yet.
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _schema()


@pytest.fixture
def _same_connection():
    """Requests reach the WSGI application directly, whose end closes a database connection that
    is not in autocommit mode: the test's own transaction on PostgreSQL. Django's test client
    disconnects that for its requests; so do we, for these."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def clerk_token(_same_connection, meetings, token_for) -> str:
    """An organiser's token, with the shared meetings and documents in the database."""
    return token_for("clerk", "write")


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_description(case, clerk_token) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {clerk_token}"}, checks=CHECKS)
