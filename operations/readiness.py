"""What /readyz asks, part by part. django-health-check's own checks for the database, the cache
and the storage; ours for the task queue's broker and the outbox, written the same way so that one
view runs them all."""

import dataclasses
import inspect
import logging
from datetime import timedelta

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.contrib.redis import Redis
from health_check.exceptions import HealthCheckException, ServiceUnavailable
from redis.asyncio import Redis as RedisClient

from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

# A part that does not answer within this many seconds counts as down: a load balancer asking
# every few seconds must get its answer before it asks again.
CONNECT_TIMEOUT_SECONDS = 2


def broker_is_redis(url: str) -> bool:
    return url.startswith(("redis://", "rediss://", "unix://"))


@dataclasses.dataclass
class DatabaseBroker(HealthCheck):
    """The database as the task queue's broker (TASK_BROKER_URL empty): its queue table must
    answer; the database check alone would not notice the table missing after a bad upgrade."""

    def run(self) -> None:
        from django_q.models import OrmQ

        try:
            OrmQ.objects.using(settings.Q_CLUSTER.get("orm", "default")).exists()
        except DatabaseError as error:
            raise ServiceUnavailable(f"queue table: {type(error).__name__}") from error


@dataclasses.dataclass
class OutboxBacklog(HealthCheck):
    """E-mail waiting in the outbox: messages due for longer than READYZ_OUTBOX_MINUTES that no
    worker has taken. A message waiting for its next retry is not due yet, so a mail server
    refusing one address does not count; a stopped worker or broker does, within minutes."""

    def run(self) -> None:
        minutes = settings.READYZ_OUTBOX_MINUTES
        limit = settings.READYZ_OUTBOX_LIMIT
        try:
            waiting = OutboxMessage.objects.filter(
                status=OutboxMessage.Status.QUEUED,
                next_attempt_at__lt=timezone.now() - timedelta(minutes=minutes),
            ).count()
        except DatabaseError as error:
            raise ServiceUnavailable(f"outbox: {type(error).__name__}") from error
        if waiting > limit:
            raise ServiceUnavailable(
                f"{waiting} messages due for more than {minutes} minutes (limit {limit})"
            )


def readiness_checks() -> dict[str, HealthCheck]:
    """The parts, by the names /readyz reports them under."""
    checks: dict[str, HealthCheck] = {"database": Database(), "cache": Cache()}
    broker = settings.TASK_BROKER_URL
    if broker_is_redis(broker):
        checks["queue_broker"] = Redis(
            client_factory=lambda: RedisClient.from_url(
                broker,
                socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
                socket_timeout=CONNECT_TIMEOUT_SECONDS,
            )
        )
    elif not broker:
        checks["queue_broker"] = DatabaseBroker()
    checks["storage"] = Storage()
    checks["outbox"] = OutboxBacklog()
    return checks


def run_check(check: HealthCheck) -> str | None:
    """None when the part answers, else why not, in words safe to show the monitoring.

    Run in the request's own thread, one after another: django-health-check's view would run
    them in a pool of threads, each opening its own database connection."""
    try:
        if inspect.iscoroutinefunction(check.run):
            async_to_sync(check.run)()
        else:
            check.run()
    except HealthCheckException as error:
        logger.warning("Readiness: %r failed: %s", check, error)
        return str(error)
    except Exception as error:
        # Not a message from the check itself: the class names the cause without details that
        # might hold a path or an address.
        logger.warning("Readiness: %r failed", check, exc_info=True)
        return f"Unavailable: {type(error).__name__}"
    return None
