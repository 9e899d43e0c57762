"""What the task queue (django-q2) runs on a schedule: the tasks' reminders."""

from notifications.delivery import deliver

from . import services


def send_reminders() -> int:
    sent = services.send_reminders()
    if sent:
        deliver()
    return sent
