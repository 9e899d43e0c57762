"""The reminder pass before the deadlines, kept in django-q2's Schedule table after each migrate."""

from typing import Any


def ensure_schedules(using: str = "default", **kwargs: Any) -> None:
    from django_q.models import Schedule

    Schedule.objects.using(using).update_or_create(
        name="opinions:reminders",
        defaults={
            "func": "opinions.tasks.send_reminders",
            "schedule_type": Schedule.MINUTES,
            "minutes": 15,
            "repeats": -1,
        },
    )
