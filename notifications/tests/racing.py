"""Two task-queue workers racing for the same rows of the outbox (e-mail or SMS)."""

import threading

from django.db import connections

from notifications import delivery


def deliver_in_two_workers(*, batch: int, timeout: float) -> list[int]:
    """The outbox's delivery run by two workers at once, each in its own thread and database
    connection: how many each sent. An exception in either is raised here, not lost in its
    thread."""
    counts: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            counts.append(delivery.deliver(batch=batch))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not errors, errors
    return counts
