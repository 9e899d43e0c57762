"""What the task queue (django-q2) runs: on demand after a change, and on a schedule."""

from . import delivery, services


def deliver_outbox() -> int:
    services.dispatch_stale()
    return delivery.deliver()


def send_reminders() -> int:
    queued = services.send_reminders()
    return queued + delivery.deliver()
