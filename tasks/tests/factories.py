"""Issued notices and their tasks, and the steps that take a task to each of its states through
the services, as the unit and the office would: reported done (on time or after the deadline),
accepted, returned with a reason."""

from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from accounts.tests.factories import UnitFactory, UserFactory
from tasks import services
from tasks.models import Notice, Task


class NoticeFactory(DjangoModelFactory):
    """An issued notice of `meeting` (required), written by `created_by`."""

    class Meta:
        model = Notice

    number = factory.Sequence(lambda n: f"{n + 1}/TB-VP")
    place = "Tây Ninh"
    body = "Ủy ban nhân dân tỉnh kết luận như sau."
    status = Notice.Status.ISSUED
    issued_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.SubFactory(UserFactory, role=User.Role.CLERK)
    issued_by = factory.SelfAttribute("created_by")


class TaskFactory(DjangoModelFactory):
    """An issued task of an issued notice, open, for a unit."""

    class Meta:
        model = Task

    notice = factory.SubFactory(NoticeFactory)
    title = factory.Sequence(lambda n: f"Nhiệm vụ thử nghiệm số {n + 1}")
    unit = factory.SubFactory(UnitFactory)
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    is_issued = factory.LazyAttribute(lambda task: task.notice.status == Notice.Status.ISSUED)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def reporter(task: Task) -> User:
    """The unit account of the task's unit in charge (made once per unit)."""
    username = f"donvi-{task.unit.code}".lower()
    found = User.objects.filter(username=username).first()
    return found or UserFactory(
        username=username, role=User.Role.UNIT_CLERK, kind=User.Kind.UNIT, unit=task.unit
    )


def report_done(task: Task, on: date) -> Task:
    services.task_report(task=task, by=reporter(task), note="Đã hoàn thành.", done=True, now=at(on))
    task.refresh_from_db()
    return task


def accept(task: Task, office: User, on: date) -> Task:
    services.task_accept(task=task, by=office, note="", now=at(on, 15))
    task.refresh_from_db()
    return task


def give_back(task: Task, office: User, on: date, reason: str) -> Task:
    services.task_return(task=task, by=office, reason=reason, now=at(on, 16))
    task.refresh_from_db()
    return task
