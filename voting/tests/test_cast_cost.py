"""A ballot is cheap: 500 phones cast within seconds (scripts/bench_votes.py). The phone's cast
runs a fixed, small number of queries, whatever the size of the meeting, and counts once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import signed_in_client
from voting import services
from voting.models import Option, Participation

from .conftest import add_voters

# The session comes from the cache; then the account, its second factor, the vote and the
# right to cast, the account's ballots with the roll, and the cast itself: the vote's row
# shared, the options locked, the ballot, the named choice, the counts, the accounts whose
# banner changes; the options to show.
CAST_QUERIES = 18


def _cast(client, vote, invitation, option) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(
            reverse("voting:cast", args=[vote.pk]),
            {"invitation": invitation.pk, "option": option.pk},
            HTTP_HX_REQUEST="true",
        )
    assert answer.status_code == 200
    return len(queries), answer.content.decode()


def test_a_ballot_costs_a_fixed_small_number_of_queries(client_for, role_users, room):
    vote = services.vote_open(meeting=room["meeting"], by=role_users["secretary"], question="Q?")
    first = Option.objects.filter(vote=vote).order_by("position").first()
    client = client_for("unit_leader")
    few, body = _cast(client, vote, room["own"], first)
    assert "Đã ghi nhận phiếu biểu quyết." in body and "Đã biểu quyết." in body
    assert few <= CAST_QUERIES

    voters = add_voters(room["meeting"], role_users["clerk"], 20)
    for voter in voters[:10]:
        services.vote_cast(
            vote=vote, invitation=voter.invitation, by=voter.user, option_ids=[first.pk]
        )
    late = voters[-1]
    many, body = _cast(signed_in_client(late.user), vote, late.invitation, first)
    assert "Đã ghi nhận phiếu biểu quyết." in body
    assert many <= few
    assert Participation.objects.filter(vote=vote).count() == 12
    assert Option.objects.get(pk=first.pk).tally == 12
