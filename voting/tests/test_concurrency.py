"""Ballots arriving together, on PostgreSQL: each worker thread has its own connection, as the
app's processes do. 500 voters each submitting twice give 500 ballots; closing while ballots
arrive counts every accepted ballot and refuses every later one."""

import queue
import random
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from accounts.models import Person, Unit, User
from attendance.models import Presence
from attendance.selectors import with_roll
from meetings.models import Invitation
from meetings.tests.factories import make_meeting, publish
from voting import services
from voting.models import Choice, Option, Participation, Vote

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _voters(clerk: User, n: int) -> tuple[Vote, list[tuple[User, Invitation]]]:
    """A published meeting inviting n persons, all marked present, each with an account."""
    meeting = make_meeting(by=clerk, title="Hội nghị đông người")
    unit = Unit.objects.create(code="DONG", name="Đơn vị đông người")
    persons = Person.objects.bulk_create(
        Person(full_name=f"Đại biểu {i}", unit=unit) for i in range(n)
    )
    users = User.objects.bulk_create(
        User(username=f"daibieu{i}", full_name=p.full_name, person=p, unit=unit, password="!")
        for i, p in enumerate(persons)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(meeting=meeting, person=p) for p in persons
    )
    publish(meeting, clerk)
    Presence.objects.bulk_create(
        Presence(invitation=i, status="present", marked_by=clerk) for i in invitations
    )
    vote = services.vote_open(meeting=meeting, by=clerk, question="Thông qua nghị quyết")
    vote = Vote.objects.select_related("meeting").get(pk=vote.pk)
    loaded = {i.pk: i for i in with_roll(Invitation.objects.filter(meeting=meeting))}
    return vote, [(u, loaded[i.pk]) for u, i in zip(users, invitations, strict=True)]


def _run(tasks: list[Callable[[], None]], workers: int) -> None:
    """Runs the tasks on `workers` threads, each with its own database connection."""
    work: queue.Queue = queue.Queue()
    for task in tasks:
        work.put(task)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            while True:
                try:
                    task = work.get_nowait()
                except queue.Empty:
                    return
                task()
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_500_voters_casting_together_each_twice(role_users):
    vote, voters = _voters(role_users["clerk"], 500)
    options = list(Option.objects.filter(vote=vote).order_by("position"))
    accepted: list[int] = []
    refused: list[str] = []
    lock = threading.Lock()

    def cast(user: User, invitation: Invitation, option: Option) -> Callable[[], None]:
        def task() -> None:
            try:
                services.vote_cast(
                    vote=vote, invitation=invitation, by=user, option_ids=[option.pk]
                )
            except ValidationError as error:
                with lock:
                    refused.append(error.code or "")
            else:
                with lock:
                    accepted.append(invitation.pk)

        return task

    rng = random.Random(6)
    tasks = []
    for user, invitation in voters:
        tasks.append(cast(user, invitation, rng.choice(options)))
        tasks.append(cast(user, invitation, rng.choice(options)))  # the double tap
    rng.shuffle(tasks)
    _run(tasks, workers=40)

    assert len(accepted) == 500 and len(set(accepted)) == 500
    assert refused == ["duplicate"] * 500
    assert Participation.objects.filter(vote=vote).count() == 500
    assert sum(Option.objects.filter(vote=vote).values_list("tally", flat=True)) == 500
    closed = services.vote_close(vote=vote, by=role_users["clerk"])
    assert closed.final_ballots == 500


def test_closing_while_ballots_arrive_counts_every_accepted_one(role_users):
    vote, voters = _voters(role_users["clerk"], 300)
    option = Option.objects.filter(vote=vote).first()
    assert option is not None
    closed = threading.Event()
    outcome: dict[int, str] = {}
    started_after_close: set[int] = set()
    lock = threading.Lock()

    def cast(n: int, user: User, invitation: Invitation) -> Callable[[], None]:
        def task() -> None:
            if n >= 200:
                closed.wait()  # these arrive once the vote is closed, for sure
            if closed.is_set():
                with lock:
                    started_after_close.add(n)
            try:
                services.vote_cast(
                    vote=vote, invitation=invitation, by=user, option_ids=[option.pk]
                )
            except ValidationError as error:
                result = error.code or ""
            else:
                result = "accepted"
            with lock:
                outcome[n] = result

        return task

    tasks = [cast(n, user, invitation) for n, (user, invitation) in enumerate(voters)]
    runner = threading.Thread(target=_run, args=(tasks, 20))
    runner.start()
    # Close once some ballots are in, while the others are still arriving.
    for _ in range(100000):
        if Participation.objects.filter(vote=vote).count() >= 60:
            break
    final = services.vote_close(vote=vote, by=role_users["clerk"])
    closed.set()
    runner.join()

    accepted = [n for n, result in outcome.items() if result == "accepted"]
    refused = [n for n, result in outcome.items() if result != "accepted"]
    assert len(outcome) == 300
    assert {outcome[n] for n in refused} <= {"closed"}
    assert started_after_close and not started_after_close & set(accepted)
    assert final.final_ballots == len(accepted) >= 60
    assert Participation.objects.filter(vote=vote).count() == len(accepted)
    assert Option.objects.get(pk=option.pk).tally == len(accepted)


def test_ballots_changed_together_keep_the_tallies_equal_to_the_choices(role_users):
    """A vote that lets a ballot change: each of 40 voters changes its ballot from several
    threads at once. Whatever order they land in, each option's tally is the number of
    invitations whose last ballot chose it: a change takes back exactly what the ballot before
    it gave."""
    vote, voters = _voters(role_users["clerk"], 40)
    Vote.objects.filter(pk=vote.pk).update(may_change=True)
    vote.refresh_from_db()
    options = list(Option.objects.filter(vote=vote).order_by("position"))

    def cast(user: User, invitation: Invitation, option: Option) -> Callable[[], None]:
        def task() -> None:
            try:
                services.vote_cast(
                    vote=vote, invitation=invitation, by=user, option_ids=[option.pk]
                )
            except ValidationError as error:  # a first ballot's double tap
                assert error.code == "duplicate"

        return task

    rng = random.Random(11)
    tasks = [
        cast(user, invitation, rng.choice(options)) for _ in range(6) for user, invitation in voters
    ]
    rng.shuffle(tasks)
    _run(tasks, workers=16)

    assert Participation.objects.filter(vote=vote).count() == 40
    chosen = Choice.objects.filter(vote=vote)
    assert chosen.values("invitation").distinct().count() == chosen.count() == 40
    for option in Option.objects.filter(vote=vote):
        assert option.tally == chosen.filter(option=option).count(), option
