"""The tasks' reminders as a django-q2 schedule, kept after every migrate (as notifications
does for its own): hourly, each reminder claimed once (services.send_reminders)."""

from typing import Any


def ensure_schedules(using: str = "default", **kwargs: Any) -> None:
    from django_q.models import Schedule

    Schedule.objects.using(using).update_or_create(
        name="tasks:reminders",
        defaults={
            "func": "tasks.tasks.send_reminders",
            "schedule_type": Schedule.MINUTES,
            "minutes": 60,
            "repeats": -1,
        },
    )
