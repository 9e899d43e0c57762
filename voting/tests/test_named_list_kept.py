"""A closed vote's named list is kept once for every reader of its results while nothing is
written (voting.views._named_section, core.kept_parts): when the vote closes in the hall, the
members' phones open the result together, and the list of every invitee was most of each page.
The data is committed in these tests (transaction=True), as in use."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import Presence
from voting import services
from voting.models import Option

pytestmark = pytest.mark.django_db(transaction=True)

HEADING = "Danh sách biểu quyết theo tên"


def visit(client, url) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode(), [q["sql"] for q in queries]


def named_section(page: str) -> str:
    start = page.index(HEADING)
    return page[start : page.index("</section>", start)]


def named_reads(statements: list[str]) -> list[str]:
    """The named list's own reads: the choices with who cast them, and the roll."""
    return [
        sql
        for sql in statements
        if '"voting_choice"."by_id"' in sql or sql.startswith('SELECT "attendance_presence"')
    ]


def test_the_named_list_is_kept_for_every_reader_until_something_is_written(
    client_for, role_users, room
):
    secretary = role_users["secretary"]
    vote = services.vote_open(meeting=room["meeting"], by=secretary, question="Thông qua?")
    agree = Option.objects.get(vote=vote, position=1)
    services.vote_cast(
        vote=vote, invitation=room["own"], by=role_users["unit_leader"], option_ids=[agree.pk]
    )
    services.vote_close(vote=vote, by=secretary)
    url = reverse("voting:detail", args=[vote.pk])
    absent = str(room["absent"].invitation.invitee)
    # Signed in before (a sign-in writes), as the phones in the hall are.
    member, leader = client_for("member"), client_for("unit_leader")

    page, statements = visit(member, url)
    made = named_section(page)
    assert named_reads(statements), "the first reader reads the list"
    assert f"{room['present'][0].invitation.invitee}</strong>: Không biểu quyết" in made
    assert absent not in made

    # Another reader, another role: the same list, read from the cache.
    page, statements = visit(leader, url)
    assert named_reads(statements) == []
    assert named_section(page) == made
    assert "\x00" not in page

    # The roll corrected after the close: the list is made again and shows it at once.
    Presence.objects.filter(invitation=room["absent"].invitation).update(status="present")
    page, statements = visit(leader, url)
    assert named_reads(statements)
    assert f"{absent}</strong>: Không biểu quyết" in named_section(page)


def test_a_secret_vote_shows_no_named_list(client_for, role_users, room):
    secretary = role_users["secretary"]
    vote = services.vote_open(
        meeting=room["meeting"], by=secretary, question="Kín?", is_secret=True
    )
    agree = Option.objects.get(vote=vote, position=1)
    services.vote_cast(
        vote=vote, invitation=room["own"], by=role_users["unit_leader"], option_ids=[agree.pk]
    )
    services.vote_close(vote=vote, by=secretary)
    for role in ("member", "unit_leader"):
        page, _ = visit(client_for(role), reverse("voting:detail", args=[vote.pk]))
        assert HEADING not in page and "Kết quả" in page
