"""Every change of state on renditions (B2): queueing a version's conversion and storing the PDF.

A version is converted once: the row is made when the version is saved, the task claims it with a
conditional UPDATE (pending -> running), so two workers, or a requeue racing a worker, never
convert the same version twice at the same time.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import claim_job, stuck_jobs
from documents.models import DocumentVersion
from documents.storage import StorageUnavailable, service_errors

from .convert import (
    DEFAULT_TIMEOUT_SECONDS,
    Outcome,
    convert_file,
    convertible,
    is_pdf,
    setting,
    temporary_folder,
)
from .models import Rendition, rendition_name

log = logging.getLogger(__name__)
TASK = "viewer.tasks.convert_version"


def needs_rendition(version: DocumentVersion) -> bool:
    """Everything but a PDF gets a row; a kind LibreOffice cannot read ends "unavailable"."""
    return not is_pdf(version.content_type, version.original_name)


def _send(version_id: int) -> None:
    from django_q.tasks import async_task

    try:
        async_task(TASK, version_id, q_options={"task_name": f"viewer-{version_id}"})
    except Exception:  # the broker is down: the row stays pending, `convert_documents` queues it
        log.warning("Task queue unreachable; version %s waits for convert_documents.", version_id)


def rendition_queue(
    *, version: DocumentVersion, new: bool = False, send: bool = True
) -> Rendition | None:
    """Marks the version's conversion pending and queues it after the transaction commits (the
    file and the row must exist when the worker looks). None for a PDF: it is read as it is.
    send=False leaves the task to the caller (the command converting here and now)."""
    if not needs_rendition(version):
        return None
    if not convertible(version.original_name):
        row, _created = Rendition.objects.update_or_create(
            version=version,
            defaults={"status": Rendition.Status.UNAVAILABLE, "error": "not a convertible kind"},
        )
        return row
    if new:
        row = Rendition.objects.create(version=version)
    else:
        row, _created = Rendition.objects.update_or_create(
            version=version,
            defaults={
                "status": Rendition.Status.PENDING,
                "queued_at": timezone.now(),
                "error": "",
            },
        )
    if send:
        pk = version.pk
        transaction.on_commit(lambda: _send(pk))
    return row


def renditions_to_queue(*, redo_failed: bool = False, redo_all: bool = False) -> QuerySet:
    """Versions whose conversion is missing, left pending, or stuck running past the time limit
    (a worker that died); with redo_failed the failed and unavailable too; with redo_all all."""
    versions = DocumentVersion.objects.all()
    if redo_all:
        return versions.order_by("pk")
    stuck = timedelta(
        seconds=2 * setting("VIEWER_CONVERT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    )
    wanted = (
        Q(rendition__isnull=True)
        | Q(rendition__status=Rendition.Status.PENDING)
        | stuck_jobs("rendition__", after=stuck)
    )
    if redo_failed:
        wanted |= Q(rendition__status__in=[Rendition.Status.FAILED, Rendition.Status.UNAVAILABLE])
    return versions.filter(wanted).order_by("pk")


def renditions_requeue(*, versions: QuerySet[DocumentVersion], now: bool = False) -> int:
    """Queues many versions again (the management command), or converts them here and now;
    PDFs are skipped."""
    count = 0
    for version in versions.iterator(chunk_size=500):
        with transaction.atomic():
            row = rendition_queue(version=version, send=not now)
        if row is None:
            continue
        count += 1
        if now and row.status == Rendition.Status.PENDING:
            rendition_convert(version_id=version.pk)
    return count


def _page_count(path: Path) -> int | None:
    from pypdf import PdfReader

    try:
        return len(PdfReader(path).pages)
    except Exception:  # LibreOffice wrote it; a count we cannot read is not worth a failure
        return None


def _store(row: Rendition, outcome: Outcome) -> None:
    """Saves the PDF beside the documents; the previous one (a reconversion) is removed after."""
    assert outcome.pdf is not None
    previous = row.file.name if row.file else ""
    with service_errors(), open(outcome.pdf, "rb") as handle:
        row.file.save(rendition_name(row, ""), File(handle), save=False)
    row.size = outcome.pdf.stat().st_size
    row.pages = _page_count(outcome.pdf)
    if previous:
        try:
            with service_errors():
                row.file.storage.delete(previous)
        except (OSError, StorageUnavailable):
            log.warning("Old rendition %s of version %s not removed.", previous, row.version_id)


def rendition_convert(*, version_id: int) -> Rendition | None:
    """Converts one version and stores the PDF. None if the version or its row is gone; the row
    as it is when another run holds it or it is not pending."""
    claimed = claim_job(Rendition.objects.filter(version_id=version_id))
    row = Rendition.objects.select_related("version").filter(version_id=version_id).first()
    if row is None or not claimed:
        return row
    version = row.version
    with temporary_folder() as folder:
        try:
            with service_errors(), version.file.open("rb") as source:
                outcome = convert_file(source, version.original_name, Path(folder))
            if outcome.status == Rendition.Status.DONE:
                _store(row, outcome)
        except (OSError, StorageUnavailable) as error:
            outcome = Outcome(status="failed", error=f"{type(error).__name__}: {error}")
    row.status = outcome.status
    row.error = outcome.error[:500]
    row.seconds = round(outcome.seconds, 3)
    row.finished_at = timezone.now()
    row.save()
    log.info(
        "Version %s to PDF: %s (%s pages) in %.2f s %s",
        version_id,
        row.status,
        row.pages,
        outcome.seconds,
        row.error,
    )
    return row
