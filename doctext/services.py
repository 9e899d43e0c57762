"""Every change of state on extracted texts (B3): queueing a version and storing what was read."""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from documents.models import DocumentVersion

from .folding import fold_aligned
from .models import VersionText
from .runner import Outcome, extract_version_file

log = logging.getLogger(__name__)
TASK = "doctext.tasks.extract_version"


def _send(version_id: int) -> None:
    from django_q.tasks import async_task

    try:
        async_task(TASK, version_id, q_options={"task_name": f"doctext-{version_id}"})
    except Exception:  # the broker is down: the row stays pending, `extract_texts` queues it again
        log.warning("Task queue unreachable; version %s waits for extract_texts.", version_id)


def text_queue(*, version: DocumentVersion, new: bool = False) -> VersionText:
    """Marks the version pending and queues it after the transaction commits (the file and the
    row must exist when the worker looks). A new version has no row yet: one INSERT."""
    if new:
        row = VersionText.objects.create(version=version)
    else:
        row, _created = VersionText.objects.update_or_create(
            version=version,
            defaults={"status": VersionText.Status.PENDING, "queued_at": timezone.now()},
        )
    pk = version.pk
    transaction.on_commit(lambda: _send(pk))
    return row


def texts_requeue(*, versions: QuerySet[DocumentVersion]) -> int:
    """Queues many versions again (the management command): one row each, then one task each."""
    count = 0
    for version in versions.iterator(chunk_size=500):
        with transaction.atomic():
            text_queue(version=version)
        count += 1
    return count


def text_extract(*, version_id: int) -> VersionText | None:
    """Reads one version's text and stores it. Returns None if the version is gone meanwhile."""
    version = DocumentVersion.objects.filter(pk=version_id).first()
    if version is None:
        return None
    started = time.monotonic()
    try:
        outcome = extract_version_file(version)
    except OSError as exc:  # the file is missing from the storage
        outcome = Outcome(status="failed", error=f"{type(exc).__name__}: {exc}"[:300])
    seconds = time.monotonic() - started
    defaults = {
        "status": outcome.status,
        "pages": outcome.pages,
        "text": outcome.text,
        "folded": fold_aligned(outcome.text),
        "truncated": outcome.truncated,
        "error": outcome.error,
        "extracted_at": timezone.now(),
        "seconds": round(seconds, 3),
    }
    row, _created = VersionText.objects.update_or_create(version=version, defaults=defaults)
    log.info(
        "Text of version %s: %s, %s pages, %s characters in %.2f s",
        version_id,
        outcome.status,
        outcome.pages,
        len(outcome.text),
        seconds,
    )
    return row
