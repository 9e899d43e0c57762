"""Benchmark of notifications (M5), run by `make bench`; not a test.

For each database (a SQLite file, and PostgreSQL when it answers): publishes meetings to 500
invited units, each with an account with an e-mail, and times `meeting_publish` (which writes the
history, 500 inbox lines and 500 outbox rows and queues the worker's task) against the 300 ms
budget; then sends the outbox to a real SMTP server on loopback (aiosmtpd) with one worker and
reports messages per second.

    .venv/bin/python scripts/bench_notifications.py            # both databases
    .venv/bin/python scripts/bench_notifications.py --run URL  # one database (used internally)
"""

import os
import statistics
import sys
import time
from pathlib import Path

import benchdb

BASE = Path(__file__).resolve().parent.parent
INVITED = 500
RUNS = 5
BUDGET_MS = 300


def run_one(url: str) -> None:
    sys.path.insert(0, str(BASE))
    import logging

    from notifications.tests.smtp import SMTPServer

    smtp = SMTPServer().start()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's log of every command
    logging.getLogger("django-q").setLevel(logging.WARNING)  # "Enqueued ..." per publish
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": url,
            "TASK_SYNC": "0",
            "TASK_BROKER_URL": "",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
        }
    )
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from accounts.models import Unit, User
    from catalogs.models import MeetingForm, MeetingType
    from meetings import services
    from notifications import delivery
    from notifications.models import OutboxMessage

    office = Unit.objects.create(code="VP", name="Văn phòng UBND tỉnh", kind="provincial_office")
    clerk = User.objects.create(username="vanthu", role="clerk", unit=office)
    units = Unit.objects.bulk_create(
        [Unit(code=f"DV{i}", name=f"Đơn vị số {i}", kind="department") for i in range(INVITED)]
    )
    User.objects.bulk_create(
        [
            User(username=f"dv{u.pk}", kind="unit", role="unit_clerk", unit=u, email=f"dv{i}@e.vn")
            for i, u in enumerate(units)
        ]
    )
    timings = []
    for run in range(RUNS):
        start = (timezone.now() + timedelta(days=10 + run)).replace(second=0, microsecond=0)
        meeting = services.meeting_create(
            by=clerk,
            data={
                "title": f"Họp đo hiệu năng số {run}",
                "start_at": start,
                "end_at": start + timedelta(hours=2),
                "organiser_unit": office,
                "type": MeetingType.objects.get(code="thuong-ky"),
                "form": MeetingForm.objects.get(code="truc-tiep"),
            },
            invitees=services.Invitees(units=units),
        )
        began = time.perf_counter()
        services.meeting_publish(meeting=meeting, by=clerk)
        timings.append((time.perf_counter() - began) * 1000)
        assert OutboxMessage.objects.filter(event__meeting=meeting).count() == INVITED
    # Send the first meeting's 500 messages.
    OutboxMessage.objects.exclude(event__meeting__title="Họp đo hiệu năng số 0").delete()
    began = time.perf_counter()
    sent = delivery.deliver()
    elapsed = time.perf_counter() - began
    smtp.stop()
    assert sent == INVITED == len(smtp.mailbox.messages), (sent, len(smtp.mailbox.messages))
    median = statistics.median(timings)
    verdict = "under" if max(timings) < BUDGET_MS else "OVER"
    print(
        f"{connection.vendor:10} publish to {INVITED} invitees, {RUNS} runs: "
        f"min {min(timings):.0f} ms, median {median:.0f} ms, max {max(timings):.0f} ms "
        f"({verdict} {BUDGET_MS} ms)"
    )
    print(
        f"{connection.vendor:10} worker sends {sent} e-mails with .ics in {elapsed:.2f} s: "
        f"{sent / elapsed:.0f} messages/s (one worker, one SMTP connection per batch of 50)"
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--run":
        run_one(sys.argv[2])
        return
    benchdb.on_each_database(__file__)


if __name__ == "__main__":
    main()
