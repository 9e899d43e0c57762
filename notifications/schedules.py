"""The queue's periodic jobs, kept in django-q2's Schedule table after every migrate: a pass over
the outbox (retries, and anything queued while the broker was away), the reminders, the expiry
of approved archive exports and the closing of votes past their set time."""

from typing import Any


def ensure_schedules(using: str = "default", **kwargs: Any) -> None:
    from django_q.models import Schedule

    jobs = {
        "notifications:deliver": ("notifications.tasks.deliver_outbox", 1),
        "notifications:reminders": ("notifications.tasks.send_reminders", 5),
        # Approved archive exports past their 7 days are marked expired (D1), hourly.
        "exports:expire": ("exports.services.export_expire_due", 60),
        # Votes past their set time are closed (B6), each minute; each vote also once on time.
        "voting:close-due": ("voting.services.close_due", 1),
    }
    for name, (func, minutes) in jobs.items():
        Schedule.objects.using(using).update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": Schedule.MINUTES,
                "minutes": minutes,
                "repeats": -1,
            },
        )
