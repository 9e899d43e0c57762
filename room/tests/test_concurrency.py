"""Requests to speak racing in several processes (PostgreSQL's row locks; SQLite takes one writer
at a time, so these run on PostgreSQL only)."""

import threading

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from room import services
from room.models import Speech

pytestmark = pytest.mark.django_db(transaction=True)


def _race(targets) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(targets))

    def run(target):
        try:
            start.wait(10)
            target()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[t]) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks")


def test_the_same_person_twice_at_once_is_one_request(postgres, room_meeting, items, role_users):
    member = role_users["member"]

    def ask():
        services.floor_request(
            meeting=room_meeting, item=items[0], by=member, invitation=None, name="A"
        )

    assert _race([ask] * 4) == []
    assert Speech.objects.filter(user=member, status=Speech.Status.WAITING).count() == 1


def test_several_people_at_once_all_queue_in_distinct_places(postgres, room_meeting, items):
    people = [UserFactory() for _ in range(6)]

    def asker(user):
        return lambda: services.floor_request(
            meeting=room_meeting, item=items[0], by=user, invitation=None, name=str(user)
        )

    assert _race([asker(u) for u in people]) == []
    positions = list(Speech.objects.values_list("position", flat=True))
    assert len(positions) == 6
    assert len(set(positions)) == 6


def test_two_give_floor_taps_at_once_leave_one_speaker(postgres, room_meeting, items, role_users):
    people = [UserFactory() for _ in range(2)]
    speeches = [
        services.floor_request(
            meeting=room_meeting, item=items[0], by=u, invitation=None, name=str(u)
        )
        for u in people
    ]

    def give(speech):
        return lambda: services.floor_give(speech=speech, by=role_users["secretary"])

    assert _race([give(s) for s in speeches]) == []
    assert Speech.objects.filter(status=Speech.Status.SPEAKING).count() == 1
    assert Speech.objects.filter(status=Speech.Status.DONE).count() == 1
