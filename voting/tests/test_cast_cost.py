"""A ballot is cheap: 500 phones cast within seconds (scripts/bench_votes.py). The phone's cast
runs a fixed, small number of queries, whatever the size of the meeting, and counts once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import kept
from accounts.models import User
from accounts.tests.factories import (
    CommitteeFactory,
    PersonFactory,
    UserFactory,
    signed_in_client,
)
from attendance.models import Presence
from meetings.models import Invitation
from voting import services
from voting.models import Option, Participation
from voting.selectors import invitations_for_voter, vote_for

from .conftest import add_voters

# The session comes from the cache; then the account, its second factor, the vote, the account's
# invitations with their ballots cast (which answer the rules of seeing the meeting and of
# casting too) and the roll's marks, the options (checked and shown), and the cast itself: the
# vote's row shared, the ballot, the named choice, the accounts whose banner changes, the counts
# (locked and written by one statement), with the transaction's BEGIN and COMMIT.
CAST_QUERIES = 13
# The voter's ballot page before its ballot, the menu's count kept: the account, the vote, the
# invitations with their ballots cast (the right to see the meeting taken from them), the
# options, the unread notices. No choice is read while none was cast, and no mark of the roll:
# the page does not show them (the cast checks them).
PAGE_QUERIES = 5


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


def test_a_voters_page_reads_no_choices_before_the_ballot(client_for, role_users, room):
    vote = services.vote_open(meeting=room["meeting"], by=role_users["secretary"], question="Q?")
    first = Option.objects.filter(vote=vote).order_by("position").first()
    for voter in add_voters(room["meeting"], role_users["clerk"], 15):
        services.vote_cast(
            vote=vote, invitation=voter.invitation, by=voter.user, option_ids=[first.pk]
        )
    client = client_for("unit_leader")
    url = reverse("voting:detail", args=[vote.pk])
    client.get(url)  # the menu's count, kept for the next pages
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200 and 'name="option"' in page.content.decode()
    assert len(queries) <= PAGE_QUERIES
    assert not any("voting_choice" in q["sql"] for q in queries.captured_queries)
    assert not any("attendance_presence" in q["sql"] for q in queries.captured_queries)

    few, body = _cast(client, vote, room["own"], first)
    assert "Đã ghi nhận phiếu biểu quyết." in body
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    # After the ballot: what was chosen, read in one more query, and the menu's count, counted
    # again after the account acted (portal.menu_count).
    assert "Đã biểu quyết." in page.content.decode() and first.label in page.content.decode()
    assert len(queries) <= PAGE_QUERIES + 2
    assert sum("voting_choice" in q["sql"] for q in queries.captured_queries) == 1
    assert Participation.objects.filter(vote=vote, invitation=room["own"]).count() == 1


def test_a_voters_invitations_come_from_the_query_kept_for_its_shape(role_users, room, monkeypatch):
    """The phone's invitations, with whether each cast its ballot and the roll's marks, read from
    the query kept per shape of account (accounts.kept), are those read from the query built for
    the account: for a unit's leader and its clerk (both answering for the unit), an account of a
    committee and one of a person, before and after a ballot; the kept form is made once for the
    shape and the next leader's ids go into it."""
    meeting, clerk = room["meeting"], role_users["clerk"]
    committee = CommitteeFactory()
    person = PersonFactory(unit=role_users["member"].unit)
    for extra in (
        Invitation(meeting=meeting, committee=committee),
        Invitation(meeting=meeting, person=person),
    ):
        extra.save()
        Presence.objects.create(invitation=extra, status="present", marked_by=clerk)
    accounts = [
        role_users["unit_leader"],
        role_users["unit_clerk"],
        UserFactory(username="hoidong", role=User.Role.MEMBER, committee=committee),
        UserFactory(username="canhan", role=User.Role.MEMBER, person=person, unit=None),
        *(voter.user for voter in room["present"]),
        role_users["member"],  # sees the meeting (its unit is invited), answers for no invitee
    ]
    vote = services.vote_open(meeting=meeting, by=role_users["secretary"], question="Q?")
    first = Option.objects.filter(vote=vote).order_by("position").first()

    def read(user):
        found = vote_for(user, vote.pk)
        assert found is not None and vote_for(user, vote.pk + 1000) is None
        casts = user.has_perm("voting.cast_vote", found)
        return [(found.pk, found.meeting.title, found.status, casts)] + [
            (i.pk, i.has_voted, i.chosen, [p.status for p in i.presences.all()])
            for i in invitations_for_voter(user, vote, roll=True)
        ]

    def kept_and_built() -> list:
        kept.forget()
        made = [read(user) for user in accounts]
        forms = {
            key: form
            for key, form in kept._kept.items()
            if key[0] in ("voting.voter_invitations", "voting.vote_for", "voting.votes_in")
        }
        # One form a shape (the two present units' leaders share the first leader's), none
        # built for the account instead.
        assert forms and all(form is not None for form in forms.values())
        for name in ("voting.voter_invitations", "voting.vote_for", "voting.votes_in"):
            assert 0 < sum(key[0] == name for key in forms) < len(accounts), name
        with monkeypatch.context() as built_each:
            built_each.setattr(kept, "_rows_form", lambda *args: None)
            kept.forget()
            assert [read(user) for user in accounts] == made
        return made

    before = kept_and_built()
    voters, member = before[:-1], before[-1]
    assert all(len(rows) > 1 and not any(row[1] for row in rows[1:]) for rows in voters)
    assert all(rows[0][3] for rows in voters)  # every one of them may cast
    assert member == [(vote.pk, meeting.title, "open", False)]
    services.vote_cast(
        vote=vote,
        invitation=room["present"][0].invitation,
        by=room["present"][0].user,
        option_ids=[first.pk],
    )
    after = kept_and_built()
    assert after[4][1:] == [(room["present"][0].invitation.pk, True, [first.pk], ["present"])]
    assert after[:4] == before[:4] and after[5:] == before[5:]


def test_a_ballots_turn_at_the_counts_is_its_last_statement(client_for, role_users, room):
    """Every ballot of a vote waits for the one before it at the counts (the options' rows,
    locked until its commit): that statement locks and writes them at once, and the ballot's
    transaction ends right after it, so that 500 ballots queue behind one round trip each."""
    vote = services.vote_open(meeting=room["meeting"], by=role_users["secretary"], question="Q?")
    first = Option.objects.filter(vote=vote).order_by("position").first()
    client = client_for("unit_leader")
    with CaptureQueriesContext(connection) as queries:
        client.post(
            reverse("voting:cast", args=[vote.pk]),
            {"invitation": room["own"].pk, "option": first.pk},
            HTTP_HX_REQUEST="true",
        )
    statements = [q["sql"] for q in queries.captured_queries]
    at_counts = [
        n for n, sql in enumerate(statements) if "voting_option" in sql and "UPDATE" in sql
    ]
    assert len(at_counts) == 1
    counts = statements[at_counts[0]]
    assert counts.startswith("UPDATE")
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in counts
        assert not any(
            "FOR UPDATE" in sql for sql in statements if "voting_option" in sql and sql != counts
        )
    assert statements[at_counts[0] + 1].startswith("RELEASE SAVEPOINT")
    assert Option.objects.get(pk=first.pk).tally == 1
