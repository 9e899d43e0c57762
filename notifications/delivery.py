"""The outbox's sender (M5). Any number of workers may run `deliver()` at once.

Claiming: a worker marks a batch of due rows of one channel as its own with one conditional UPDATE
(the row lock of the database makes a second worker's UPDATE skip rows the first has claimed),
then sends them over one connection of their channel (notifications.channels: SMTP, the SMS
gateway) and marks each row sent or due again. A claim is a lease: if a worker dies
with rows claimed, they are due again once the lease has passed. Before each message the worker
renews its lease on that row, and skips the row if its lease ran out and another worker took it, so
a slow batch is not sent twice.

Delivery is at-least-once with one edge: a worker killed after the mail server accepted a message
but before the row was marked sent sends that one message again after the lease. Each row keeps
one Message-ID across attempts, so mail servers and clients can recognise the repeat."""

import logging
import random
import socket
import uuid
from datetime import timedelta
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import channels
from .channels import SendError
from .channels.email import is_permanent
from .models import OutboxMessage

log = logging.getLogger(__name__)
Status = OutboxMessage.Status

__all__ = ["claim", "deliver", "is_permanent", "retry", "send_batch"]


def due() -> Q:
    now = timezone.now()
    return Q(status=Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, claimed_until__lt=now
    )


def claim(
    worker: str, batch: int, *, channel: str | None = None, tries: int = 5
) -> list[OutboxMessage]:
    """Claims up to `batch` due rows. When a quicker worker claimed the chosen rows between this
    one's SELECT and its UPDATE, chooses again (those rows are no longer due) rather than stop while
    messages wait; a few tries, so that a crowd of workers does not spin."""
    rows = OutboxMessage.objects.all()
    if channel is not None:
        rows = rows.filter(channel=channel)
    for _try in range(tries):
        now = timezone.now()
        ids = list(
            rows.filter(due())
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return []
        claimed = OutboxMessage.objects.filter(due(), pk__in=ids).update(
            status=Status.SENDING,
            claimed_by=worker,
            claimed_until=now + timedelta(seconds=settings.NOTIFY_CLAIM_SECONDS),
        )
        if claimed:
            return list(
                OutboxMessage.objects.filter(pk__in=ids, claimed_by=worker, status=Status.SENDING)
                .select_related("event", "event__meeting", "notice", "notice__user")
                .order_by("id")
            )
    return []


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes (by default), capped, with a little jitter so that many messages
    failed together do not all come back in the same second."""
    base = settings.NOTIFY_RETRY_BASE_SECONDS
    seconds = min(base * 2 ** max(attempts - 1, 0), settings.NOTIFY_RETRY_MAX_SECONDS)
    return timedelta(seconds=seconds * random.uniform(1.0, 1.2))


def _failed(message: OutboxMessage, worker: str, error: str, *, permanent: bool) -> None:
    attempts = message.attempts + 1
    final = permanent or attempts >= settings.NOTIFY_MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk, claimed_by=worker).update(
        status=Status.FAILED if final else Status.QUEUED,
        attempts=attempts,
        next_attempt_at=timezone.now() + backoff(attempts),
        last_error=error[:2000],
        claimed_by="",
        claimed_until=None,
    )
    if final:
        log.error("%s to %s failed for good: %s", message.channel, message.address, error)


def _sent(message: OutboxMessage, worker: str) -> None:
    OutboxMessage.objects.filter(pk=message.pk, claimed_by=worker).update(
        status=Status.SENT,
        attempts=message.attempts + 1,
        sent_at=timezone.now(),
        last_error="",
        claimed_by="",
        claimed_until=None,
    )


def _still_mine(message: OutboxMessage, worker: str) -> bool:
    """Renews the claim on the row about to be sent (and gives it its Message-ID once). False when
    the lease ran out during the batch and another worker has taken the row: sending it here too
    would send it twice."""
    fields: dict[str, Any] = {
        "claimed_until": timezone.now() + timedelta(seconds=settings.NOTIFY_CLAIM_SECONDS)
    }
    if not message.message_id:
        message.message_id = fields["message_id"] = make_msgid(
            "outbox", domain=settings.ICAL_DOMAIN
        )
    mine = OutboxMessage.objects.filter(pk=message.pk, claimed_by=worker, status=Status.SENDING)
    return bool(mine.update(**fields))


def send_batch(messages: list[OutboxMessage], worker: str) -> tuple[int, bool]:
    """Sends the claimed rows (all of one channel) over one connection of their channel: (how many
    went, whether the server answered)."""
    sent = 0
    if not messages:
        return 0, True
    try:
        connection = channels.get(messages[0].channel).connect()
    except SendError as exc:
        for message in messages:
            _failed(message, worker, str(exc), permanent=False)
        return 0, False
    try:
        for message in messages:
            if not _still_mine(message, worker):
                continue
            try:
                connection.send(message)
            except SendError as exc:
                _failed(message, worker, str(exc), permanent=exc.permanent)
                if not connection.alive():
                    # The server went away: the rest of the batch waits for its retry.
                    for rest in messages[messages.index(message) + 1 :]:
                        _failed(rest, worker, str(exc), permanent=False)
                    return sent, False
            else:
                _sent(message, worker)
                sent += 1
    finally:
        connection.close()
    return sent, True


def deliver(*, batch: int | None = None, limit: int | None = None) -> int:
    """Sends what is due on every channel until nothing is left (or `limit` messages); returns
    how many went. A channel whose server is down waits for its backoff; the others go on."""
    worker = f"{socket.gethostname()}:{uuid.uuid4().hex[:12]}"
    batch = batch or settings.NOTIFY_BATCH_SIZE
    total = 0
    for channel in channels.names():
        while limit is None or total < limit:
            messages = claim(worker, batch, channel=channel)
            if not messages:
                break
            sent, answered = send_batch(messages, worker)
            total += sent
            if not answered:
                break  # the server is down: stop and let the backoff work
    return total


def retry(messages: "QuerySet[OutboxMessage]") -> int:
    """The admin's "send again": failed (or waiting) rows become due now with a fresh count."""
    return messages.filter(status__in=[Status.FAILED, Status.QUEUED]).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
