"""/metrics: django-prometheus's figures (requests per view, response codes, database queries)
and the product's own, read from the database when Prometheus asks.

With several worker processes per app server (gunicorn), set PROMETHEUS_MULTIPROC_DIR to an empty
folder the workers share: each worker writes its counters there and any of them answers with the
sum. The product's figures come from the database, the same whichever worker answers."""

import logging
import os
from collections.abc import Iterator

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from documents.models import Document, DocumentVersion
from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

PREFIX = "hopkhonggiay"
# The stored documents' figures read every row of the versions' table: once every few minutes
# is enough for a figure that grows by uploads.
DOCUMENT_FIGURES_SECONDS = 300
DOCUMENT_FIGURES_KEY = "operations:metrics:documents"


def _outbox() -> Iterator[Metric]:
    status = OutboxMessage.Status
    # Only the unsent: the sent are most of the table and nobody watches their number.
    counts = dict(
        OutboxMessage.objects.filter(status__in=[status.QUEUED, status.SENDING, status.FAILED])
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    messages = GaugeMetricFamily(
        f"{PREFIX}_outbox_messages",
        "E-mail in the outbox not sent (yet), by status: queued, sending, failed (gave up).",
        labels=["status"],
    )
    for value in (status.QUEUED, status.SENDING, status.FAILED):
        messages.add_metric([value], counts.get(value, 0))
    yield messages
    oldest = OutboxMessage.objects.filter(
        status=status.QUEUED, next_attempt_at__lte=timezone.now()
    ).aggregate(at=Min("next_attempt_at"))["at"]
    yield GaugeMetricFamily(
        f"{PREFIX}_outbox_oldest_due_seconds",
        "How long the longest-waiting queued message has been due (0 when none is).",
        value=(timezone.now() - oldest).total_seconds() if oldest else 0,
    )


def _worker() -> Iterator[Metric]:
    from django_q.models import Task

    # The queue's schedule runs the outbox pass every minute, and each run is kept with its end
    # time: the latest end is when a worker was last seen working.
    last = Task.objects.aggregate(at=Max("stopped"))["at"]
    yield GaugeMetricFamily(
        f"{PREFIX}_worker_last_seen_timestamp_seconds",
        "When a task-queue worker last finished a task (Unix time; 0 if never).",
        value=last.timestamp() if last else 0,
    )


def _documents() -> Iterator[Metric]:
    figures = cache.get(DOCUMENT_FIGURES_KEY)
    if figures is None:
        stored = DocumentVersion.objects.aggregate(files=Count("id"), size=Sum("size"))
        figures = {
            "documents": Document.objects.filter(deleted_at__isnull=True).count(),
            "files": stored["files"],
            "bytes": stored["size"] or 0,
        }
        cache.set(DOCUMENT_FIGURES_KEY, figures, DOCUMENT_FIGURES_SECONDS)
    yield GaugeMetricFamily(
        f"{PREFIX}_documents", "Documents not deleted.", value=figures["documents"]
    )
    yield GaugeMetricFamily(
        f"{PREFIX}_document_files",
        "Files stored for documents (every version, deleted documents' included).",
        value=figures["files"],
    )
    yield GaugeMetricFamily(
        f"{PREFIX}_document_bytes", "Bytes stored for documents.", value=figures["bytes"]
    )


class ProductCollector(Collector):
    def describe(self) -> list[Metric]:
        return []  # nothing asked of the database when registered

    def collect(self) -> Iterator[Metric]:
        up = 1
        for part in (_outbox, _worker, _documents):
            try:
                yield from part()
            except DatabaseError:
                logger.warning("Metrics: %s could not be read", part.__name__, exc_info=True)
                up = 0
        yield GaugeMetricFamily(
            f"{PREFIX}_product_metrics_up",
            "1 when every product figure above could be read from the database.",
            value=up,
        )


product_registry = CollectorRegistry()
product_registry.register(ProductCollector())


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(product_registry), CONTENT_TYPE_LATEST
