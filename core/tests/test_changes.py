"""The data's generation (core.changes): made new by every write to a table that pages show,
whatever writes it (the ORM, a bulk update, raw SQL), after the commit; left as it was by the
quiet tables, by writes rolled back and by those a kept page does not show."""

import pytest
from django.contrib.sessions.backends.db import SessionStore as DatabaseSession
from django.core.cache import cache
from django.db import connection, transaction

from accounts.models import LoginEvent, Unit
from core import changes


def setup_committed():
    """An atomic block, the test's data (written before it) counted as committed: the mark its
    writes left is taken out of the functions run at commit."""
    connection.run_on_commit[:] = [
        entry for entry in connection.run_on_commit if entry[1] is not changes.changed
    ]
    return transaction.atomic()


def kept() -> str | None:
    """The generation as the cache holds it, whatever this connection wrote."""
    return cache.get(changes.KEY)


@pytest.mark.django_db
def test_a_write_in_a_transaction_is_a_new_generation_at_commit(django_capture_on_commit_callbacks):
    before = changes.generation()
    assert before is not None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Unit.objects.create(name="Sở Tài chính", code="STC-CHANGES")
        # The connection that wrote reads no generation until it commits: it sees its own writes.
        assert changes.generation() is None
        assert kept() == before
    # Once at commit, however many writes.
    assert callbacks.count(changes.changed) == 1
    assert kept() not in (None, before)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda: Unit.objects.create(name="Sở Xây dựng", code="SXD-CHANGES"), id="orm"),
        pytest.param(lambda: Unit.objects.update(name="Đổi tên"), id="bulk-update"),
        pytest.param(lambda: Unit.objects.all().delete(), id="bulk-delete"),
        pytest.param(
            lambda: connection.cursor().execute("UPDATE accounts_unit SET name = name"), id="raw"
        ),
    ],
)
def test_every_way_of_writing_counts(write, department):
    with setup_committed():
        assert changes.generation() is not None
        write()
        assert changes.generation() is None


@pytest.mark.django_db
def test_the_quiet_tables_and_writes_not_shown_leave_it(role_users):
    with setup_committed():
        before = changes.generation()
        LoginEvent.objects.create(
            kind=LoginEvent.Kind.choices[0][0], username_tried="ai-do", ip_address="127.0.0.1"
        )
        session = DatabaseSession()
        session["x"] = 1
        session.save()
        with changes.not_shown():
            Unit.objects.update(name="Đổi tên")
        assert changes.generation() == before


@pytest.mark.django_db
def test_a_write_rolled_back_to_its_savepoint_is_forgotten(department):
    with setup_committed():
        before = changes.generation()
        try:
            with transaction.atomic():
                Unit.objects.update(name="Đổi tên")
                assert changes.generation() is None
                raise RuntimeError
        except RuntimeError:
            pass
        assert changes.generation() == before


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_write_is_a_new_generation_at_once():
    before = changes.generation()
    Unit.objects.create(name="Sở Nội vụ", code="SNV-CHANGES")
    after = changes.generation()
    assert after is not None and after != before
    # A read changes nothing.
    assert "SNV-CHANGES" in set(Unit.objects.values_list("code", flat=True))
    assert changes.generation() == after


@pytest.mark.django_db
def test_a_connection_is_watched_once_and_kept_watched():
    connection.ensure_connection()
    changes.watch(connection)
    changes.watch(connection)
    assert connection.execute_wrappers.count(changes._watch_writes) == 1
    # Another wrapper put in and taken back (Django's execute_wrapper) leaves this one.
    with connection.execute_wrapper(lambda execute, *args: execute(*args)):
        pass
    assert connection.execute_wrappers.count(changes._watch_writes) == 1


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ("SELECT 1", None),
        (
            'INSERT OR IGNORE INTO "reports_accountmonth" ("logins") VALUES (%s)',
            "reports_accountmonth",
        ),
        ('INSERT INTO "meetings_meeting" ("title") VALUES (%s)', "meetings_meeting"),
        ('  update "meetings_receipt" SET "view_count" = 1', "meetings_receipt"),
        ('DELETE FROM "django_session" WHERE 1', "django_session"),
        ('TRUNCATE "django_session", "meetings_meeting"', ""),
        ("WITH x AS (SELECT 1) SELECT * FROM x", None),
        ("WITH x AS (UPDATE t SET a = 1 RETURNING a) SELECT a FROM x", ""),
        (b'INSERT INTO "tasks_task" DEFAULT VALUES', "tasks_task"),
    ],
)
def test_the_table_written_is_read_from_the_statement(sql, table):
    assert changes._written_table(sql) == table


@pytest.mark.parametrize(
    ("sql", "quiet"),
    [
        ('SELECT COUNT(*) FROM "accounts_loginevent" WHERE "at" > %s', True),
        ('SELECT 1 FROM "meetings_meeting" JOIN "axes_accesslog" ON 1', True),
        ('SELECT "meetings_meeting"."id" FROM "meetings_meeting"', False),
    ],
)
def test_a_statement_reading_a_quiet_table_is_told(sql, quiet):
    assert changes.reads_quiet(sql) is quiet
