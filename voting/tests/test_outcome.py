"""A member on an open vote's page sees its result when the chair closes it, without reloading:
the page's result part polls voting:outcome (an empty 304 until the vote opens or closes), which
then brings the result, the named list and the reader's ballots in place of the ballot forms."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from voting import services
from voting.models import Option


def test_the_page_of_a_member_who_voted_brings_the_result_when_the_vote_closes(
    client_for, role_users, room
):
    secretary, leader = role_users["secretary"], client_for("unit_leader")
    vote = services.vote_open(meeting=room["meeting"], by=secretary, question="Thông qua?")
    agree = Option.objects.get(vote=vote, position=1)
    services.vote_cast(
        vote=vote, invitation=room["own"], by=role_users["unit_leader"], option_ids=[agree.pk]
    )
    outcome = reverse("voting:outcome", args=[vote.pk])

    page = leader.get(reverse("voting:detail", args=[vote.pk])).content.decode()
    block = re.search(r'<div id="vote-outcome"[^>]*>', page).group(0)
    assert f'hx-get="{outcome}"' in block and 'hx-trigger="every 5s"' in block
    assert 'hx-swap="outerHTML"' in block
    assert "Kết quả được công bố khi biểu quyết kết thúc." in page

    waiting = leader.get(outcome)
    assert waiting.status_code == 200 and "private" in waiting["Cache-Control"]
    assert "Kết quả được công bố" in waiting.content.decode()
    assert "vote-ballots" not in waiting.content.decode(), "the ballots stay while it is open"

    services.vote_close(vote=vote, by=secretary)
    with CaptureQueriesContext(connection) as queries:
        closed = leader.get(outcome, headers={"if-none-match": waiting["ETag"]})
    assert closed.status_code == 200
    options_read = [q for q in queries if 'FROM "voting_option"' in q["sql"]]
    assert len(options_read) == 1, "the options read once, for the result and the ballots"
    shown = closed.content.decode()
    block = re.search(r'<div id="vote-outcome"[^>]*>', shown).group(0)
    assert "hx-get" not in block, "closed: it polls no more"
    assert "Kết quả" in shown and "Danh sách biểu quyết theo tên" in shown
    assert reverse("voting:pdf", args=[vote.pk]) in shown
    # The ballots come along, out of band: the reader's choice, no form left to send.
    ballots = shown[shown.index('<div id="vote-ballots" hx-swap-oob="true">') :]
    assert "Đã biểu quyết." in ballots and "Đồng ý" in ballots
    assert "<form" not in shown
    state = shown[shown.index('<p class="mb-1" id="vote-state" hx-swap-oob="true">') :]
    assert "Đã kết thúc" in state[: state.index("</p>")]
    assert "vote-closes" not in shown, "no closing time to take away"


def test_a_member_who_did_not_vote_is_shown_no_form_once_closed(client_for, role_users, room):
    secretary, member = role_users["secretary"], client_for("unit_leader")
    vote = services.vote_open(
        meeting=room["meeting"], by=secretary, question="Kín?", is_secret=True
    )
    outcome = reverse("voting:outcome", args=[vote.pk])
    page = member.get(reverse("voting:detail", args=[vote.pk])).content.decode()
    assert 'class="vote-ballot"' in page
    services.vote_close(vote=vote, by=secretary)
    shown = member.get(outcome).content.decode()
    assert "Không biểu quyết." in shown and "<form" not in shown
    assert "Kết quả" in shown and "Danh sách biểu quyết theo tên" not in shown, "a secret vote"


def test_a_closing_time_shown_is_taken_away_once_closed(client_for, role_users, room):
    secretary, member = role_users["secretary"], client_for("unit_leader")
    closes = timezone.now() + timedelta(minutes=30)
    vote = services.vote_open(
        meeting=room["meeting"], by=secretary, question="Thông qua?", closes_at=closes
    )
    page = member.get(reverse("voting:detail", args=[vote.pk])).content.decode()
    assert '<p id="vote-closes">Tự động kết thúc lúc' in page
    services.vote_close(vote=vote, by=secretary)
    shown = member.get(reverse("voting:outcome", args=[vote.pk])).content.decode()
    assert '<p id="vote-closes" hx-swap-oob="delete"></p>' in shown


def test_the_chair_follows_the_live_count_and_polls_no_result(client_for, role_users, room):
    vote = services.vote_open(
        meeting=room["meeting"], by=role_users["secretary"], question="Thông qua?"
    )
    page = client_for("secretary").get(reverse("voting:detail", args=[vote.pk])).content.decode()
    block = re.search(r'<div id="vote-outcome"[^>]*>', page).group(0)
    assert "hx-get" not in block
    assert reverse("voting:live", args=[vote.pk]) in page
