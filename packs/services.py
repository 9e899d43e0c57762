"""Every change of state on packs: asking for a reader's pack, and building it in the worker.

A pack is built once per key: the row is made when someone asks for it, and the task claims it
as the viewer's conversions are claimed (core.models.claim_job), so two workers, or a second
request racing a worker, never build the same pack twice at the same time.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core.models import claim_job, stuck_jobs
from documents.storage import StorageUnavailable, service_errors
from meetings.models import Meeting

from .build import build_pack
from .models import Pack, pack_name
from .plan import Plan, plan_for

log = logging.getLogger(__name__)
TASK = "packs.tasks.build"
# A pack still "running" after this was left by a worker that died: asked again, it is queued.
STUCK_AFTER = timedelta(minutes=30)


def _send(pack_id: int) -> None:
    from django_q.tasks import async_task

    try:
        async_task(TASK, pack_id, q_options={"task_name": f"pack-{pack_id}"})
    except Exception:  # the broker is down: the row stays pending; asking again queues it
        log.warning("Task queue unreachable; pack %s waits.", pack_id)


def pack_request(*, meeting: Meeting, user: User, plan: Plan | None = None) -> Pack:
    """The pack of the meeting's current documents for this reader: the ready one, the one being
    prepared, or a new one queued for the worker after the transaction commits. A failed or
    stuck one is queued again. `plan`: the reader's plan when the caller has just made it."""
    plan = plan or plan_for(meeting, user)
    pack = Pack.objects.filter(key=plan.key).first()
    if pack is None:
        try:
            with transaction.atomic():
                pack = Pack.objects.create(meeting=meeting, reader=plan.reader, key=plan.key)
        except IntegrityError:  # asked at the same moment by another request: theirs
            return Pack.objects.get(key=plan.key)
    else:
        again = Pack.objects.filter(pk=pack.pk).filter(
            Q(status=Pack.Status.FAILED) | stuck_jobs(after=STUCK_AFTER)
        )
        if not again.update(status=Pack.Status.PENDING, queued_at=timezone.now(), error=""):
            return pack
        pack.refresh_from_db()
    pk = pack.pk
    transaction.on_commit(lambda: _send(pk))
    return pack


def pack_build(*, pack_id: int) -> Pack | None:
    """Builds one pack and stores it. None if the row is gone; the row as it is when another run
    holds it or it is not pending. When the meeting's documents changed since it was asked for
    (another key now), it is not built: the next request asks for the new one."""
    claimed = claim_job(Pack.objects.filter(pk=pack_id))
    pack = Pack.objects.select_related("meeting", "reader").filter(pk=pack_id).first()
    if pack is None or not claimed:
        return pack
    started = time.monotonic()
    meeting = Meeting.objects.select_related("location", "chair", "organiser_unit").get(
        pk=pack.meeting_id
    )
    plan = plan_for(meeting, pack.reader)
    if plan.key != pack.key:
        pack.status = Pack.Status.FAILED
        pack.error = "superseded: the meeting's documents changed"
    else:
        try:
            output, pages = build_pack(plan)
            with output, service_errors():
                pack.file.save(pack_name(pack, ""), File(output), save=False)
                pack.size = output.seek(0, 2)
            pack.pages = pages
            pack.status = Pack.Status.DONE
            pack.error = ""
        except Exception as error:  # noqa: BLE001 - whatever broke, the row must say so
            # (WeasyPrint, qpdf and the storage each raise their own), or it stays "running".
            log.exception("Pack %s failed.", pack.pk)
            pack.status = Pack.Status.FAILED
            pack.error = f"{type(error).__name__}: {error}"[:500]
    pack.seconds = round(time.monotonic() - started, 3)
    pack.finished_at = timezone.now()
    pack.save()
    if pack.status == Pack.Status.DONE:
        _remove_older(pack)
    log.info("Pack %s: %s (%s pages) in %.2f s", pack.pk, pack.status, pack.pages, pack.seconds)
    return pack


def _remove_older(pack: Pack) -> None:
    """The same reader's earlier packs of the meeting are of older versions: their rows and
    files go (a file that cannot be removed is left, not the new pack)."""
    older = Pack.objects.filter(meeting_id=pack.meeting_id, reader_id=pack.reader_id).exclude(
        pk=pack.pk
    )
    older = older.exclude(status__in=[Pack.Status.PENDING, Pack.Status.RUNNING])
    for old in list(older):
        if old.file:
            try:
                with service_errors():
                    old.file.storage.delete(old.file.name)
            except (OSError, StorageUnavailable):
                log.warning("Old pack file %s not removed.", old.file.name)
        old.delete()
