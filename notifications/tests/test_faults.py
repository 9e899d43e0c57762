"""The outbox's claims under faults, inside the test process. The system tests with real worker
processes, both brokers and a database file or server (mail server down, a worker killed, two
clusters) are in test_workers.py.

- A worker whose lease ran out in the middle of a batch (a stalled process, a mail server that
  answers slowly) must not send the rows another worker has taken since: without that check the
  two would both send them, a duplicate beyond the documented at-least-once edge.
- A worker whose chosen rows were claimed by a quicker worker between its SELECT and its UPDATE
  chooses again instead of stopping while messages are due (else parallel workers do not share
  the work: the one that loses the first race goes home).
- Two workers racing in threads on PostgreSQL send each message once. SQLite's test database
  lives in memory and cannot be shared between threads, so that test runs on PostgreSQL only.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UnitFactory, UserFactory
from meetings.tests.factories import make_meeting, publish
from notifications import delivery
from notifications.models import OutboxMessage
from notifications.tests.racing import deliver_in_two_workers


@pytest.fixture
def clerk(role_users) -> User:
    return role_users["clerk"]


def expire_leases() -> None:
    OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )


@pytest.mark.django_db
def test_a_worker_past_its_lease_does_not_send_what_another_worker_took(
    smtp, clerk, department
) -> None:
    publish(make_meeting(by=clerk, units=[department]), clerk)
    expected = sorted(OutboxMessage.objects.values_list("to_email", flat=True))
    slow = delivery.claim("slow-worker", batch=10)
    assert len(slow) == len(expected) == 3
    expire_leases()

    assert delivery.deliver() == 3  # another worker takes the rows whose lease ran out
    assert delivery.send_batch(slow, "slow-worker") == (0, True)  # the slow one wakes up

    assert sorted(smtp.mailbox.recipients()) == expected
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_a_worker_past_its_lease_still_sends_what_nobody_took(smtp, clerk, department) -> None:
    publish(make_meeting(by=clerk, units=[department]), clerk)
    slow = delivery.claim("slow-worker", batch=10)
    expire_leases()

    assert delivery.send_batch(slow, "slow-worker") == (3, True)

    assert Counter(smtp.mailbox.recipients()) == Counter(m.to_email for m in slow)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert delivery.deliver() == 0


@pytest.mark.django_db
def test_a_worker_that_loses_the_race_for_its_rows_claims_the_next_ones(clerk, department) -> None:
    publish(make_meeting(by=clerk, units=[department]), clerk)  # 3 messages
    other: list[OutboxMessage] = []
    racing = []

    def other_worker_claims_first(execute, sql, params, many, context):
        # Between this worker's choice of rows and its claim, a quicker worker claims them.
        if not racing and sql.startswith("UPDATE") and OutboxMessage._meta.db_table in sql:
            racing.append(True)
            other.extend(delivery.claim("quick-worker", batch=2))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(other_worker_claims_first):
        mine = delivery.claim("this-worker", batch=2)

    assert len(other) == 2
    assert len(mine) == 1, "the worker gave up while a message was still due"
    assert {m.pk for m in mine}.isdisjoint(m.pk for m in other)


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_in_threads_send_each_message_once(smtp, clerk) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database cannot be shared between threads")
    units = []
    for i in range(40):
        unit = UnitFactory(code=f"RACE{i:02d}")
        UserFactory(username=f"race{i}", kind=User.Kind.UNIT, role=User.Role.UNIT_CLERK, unit=unit)
        units.append(unit)
    # Tests run the queue's tasks at once: the server refuses while the meeting is published, so
    # the pass that follows the commit leaves every row waiting; "send again" makes them due.
    smtp.mailbox.refuse = True
    publish(make_meeting(by=clerk, units=units), clerk)
    smtp.mailbox.refuse = False
    assert delivery.retry(OutboxMessage.objects.all()) == 40
    expected = sorted(OutboxMessage.objects.values_list("to_email", flat=True))
    assert len(expected) == 40 and not smtp.mailbox.messages
    smtp.mailbox.delay = 0.005  # long enough for the two workers' batches to interleave
    counts = deliver_in_two_workers(batch=5, timeout=120)
    assert sum(counts) == 40
    received = Counter(smtp.mailbox.recipients())
    assert sorted(received) == expected
    assert set(received.values()) == {1}, received.most_common(3)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
