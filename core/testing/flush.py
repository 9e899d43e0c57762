"""Emptying the database after a test that commits (the browser tests, the live server's, the
races), in a fraction of the time Django takes.

Django empties it with `flush`: on PostgreSQL a `TRUNCATE` of every table (a new file for each
table and index), then the `post_migrate` signal, which writes every content type and permission
again because the `TRUNCATE` took them too. Measured on this project's 89 tables, on PostgreSQL,
each such test spent 1 to 2 s idle (10 s on a loaded machine) in that teardown: minutes of the
suite. Here the rows are deleted in one transaction (the foreign keys Django creates are checked at
commit, so the order does not matter), the content types and permissions, which only migrations
change, are left in place (their cached ids stay right, too), and `post_migrate` is sent as Django
does, so the product's own receivers (the queue's schedules, the figures) put back their rows; only
Django's two receivers that would re-read the rows left in place (167 queries) are not called.

Installed for the whole suite by `conftest.py`; a test that asks for Django's own behaviour
(`reset_sequences`, `serialized_rollback`, `available_apps`) gets it unchanged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, transaction
from django.db.models.signals import post_migrate
from django.test import TransactionTestCase

# Written by post_migrate from the models alone: the same rows every time.
KEPT = frozenset({"django_content_type", "auth_permission"})

_django_teardown = getattr(TransactionTestCase, "_fixture_teardown")  # noqa: B009 (not in the stubs)


def _fixture_teardown(self: Any) -> None:
    if self.reset_sequences or self.serialized_rollback or self.available_apps is not None:
        _django_teardown(self)
        return
    for db_name in self._databases_names(include_mirrors=False):
        empty(db_name)
        _product_post_migrate(db_name)


def empty(db_name: str = "default") -> None:
    """Delete every row of every table of the project's models but the KEPT ones."""
    connection = connections[db_name]
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with transaction.atomic(using=db_name), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in sorted(set(tables) - KEPT):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our table names)


# Django connects them so (django/contrib/{auth,contenttypes}/apps.py).
_SKIPPED = (
    (create_contenttypes, None),
    (create_permissions, "django.contrib.auth.management.create_permissions"),
)


def _product_post_migrate(db_name: str) -> None:
    """`post_migrate` as `migrate` sends it, without Django's receivers for the KEPT tables."""
    for receiver, uid in _SKIPPED:
        post_migrate.disconnect(receiver, dispatch_uid=uid)
    try:
        emit_post_migrate_signal(verbosity=0, interactive=False, db=db_name)
    finally:
        for receiver, uid in _SKIPPED:
            post_migrate.connect(receiver, dispatch_uid=uid)


def install() -> None:
    setattr(TransactionTestCase, "_fixture_teardown", _fixture_teardown)  # noqa: B010


class Snapshot:
    """Every table's rows copied aside once (the demo province, for the browser tests), and put
    back in a fraction of the time it takes to make them again: the copy is a table of the same
    name in the schema `snapshot` on PostgreSQL, or prefixed `snapshot_` on SQLite, which no
    flush touches. The ids come back as they were; new rows take ids after them."""

    def __init__(self, db_name: str = "default") -> None:
        self.db_name = db_name
        connection = connections[db_name]
        self.tables = sorted(
            set(connection.introspection.django_table_names(only_existing=True)) - KEPT
        )
        quote = connection.ops.quote_name
        self.pairs = [
            (quote(t), f"snapshot.{quote(t)}")
            if connection.vendor == "postgresql"
            else (quote(t), quote(f"snapshot_{t}"))
            for t in self.tables
        ]
        with transaction.atomic(using=db_name), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP SCHEMA IF EXISTS snapshot CASCADE")
                cursor.execute("CREATE SCHEMA snapshot")
            for table, copy in self.pairs:
                cursor.execute(f"DROP TABLE IF EXISTS {copy}")
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {table}")  # noqa: S608

    def restore(self) -> None:
        connection = connections[self.db_name]
        with transaction.atomic(using=self.db_name), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, copy in self.pairs:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
                cursor.execute(f"INSERT INTO {table} SELECT * FROM {copy}")  # noqa: S608
