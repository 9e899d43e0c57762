"""Commands the worker tests run in separate processes against a real database file or server:
`python -m notifications.tests.system setup N | status | kick`, or `serve`, which reads those
commands one a line on its standard input and answers each with its output and a line `END`: the
tests poll the outbox every 0.3 s, and a new process for each poll spent most of the suite's time
starting Django. Settings come from the environment (DATABASE_URL, TASK_BROKER_URL, EMAIL_*,
NOTIFY_*), as in production."""

import json
import os
import sys
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402


def setup(count: int) -> None:
    """A clerk publishes one meeting to `count` units, each with one account with an e-mail."""
    from accounts.models import Unit, User
    from catalogs.models import MeetingForm, MeetingType
    from meetings import services

    office = Unit.objects.create(code="VP", name="Văn phòng UBND tỉnh", kind="provincial_office")
    clerk = User.objects.create(username="vanthu", role="clerk", unit=office, email="")
    units = []
    for i in range(count):
        unit = Unit.objects.create(code=f"DV{i}", name=f"Đơn vị số {i}", kind="department")
        User.objects.create(
            username=f"dv{i}", kind="unit", role="unit_clerk", unit=unit, email=f"dv{i}@example.vn"
        )
        units.append(unit)
    start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    meeting = services.meeting_create(
        by=clerk,
        data={
            "title": "Họp kiểm thử hàng đợi thư",
            "start_at": start,
            "end_at": start + timedelta(hours=2),
            "organiser_unit": office,
            "type": MeetingType.objects.get(code="thuong-ky"),
            "form": MeetingForm.objects.get(code="truc-tiep"),
            "online_link": "https://hop.example.vn/phong-1",
        },
        invitees=services.Invitees(units=units),
    )
    services.meeting_publish(meeting=meeting, by=clerk)
    print(meeting.pk)


def status() -> None:
    from notifications.models import OutboxMessage

    rows = list(OutboxMessage.objects.values("to_email", "status", "attempts"))
    print(json.dumps(rows))


def kick() -> None:
    """What the periodic pass does: ask a worker to send whatever is due."""
    from django_q.tasks import async_task

    async_task("notifications.tasks.deliver_outbox")


END = "END"


def main(command: str, *args: str) -> None:
    if command == "setup":
        setup(int(args[0]))
    elif command == "status":
        status()
    elif command == "kick":
        kick()
    else:
        raise SystemExit(f"unknown command {command}")


def serve() -> None:
    for line in sys.stdin:
        main(*line.split())
        print(END, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve()
    else:
        main(*sys.argv[1:])
