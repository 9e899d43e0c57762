"""What the task queue (django-q2) runs for written opinions, on a schedule."""

from notifications import delivery

from . import services


def send_reminders() -> int:
    reminded = services.remind_due()
    if reminded:
        delivery.deliver()
    return reminded
