"""The polled fragments of the room (the screen, the votes, the member's banner) answer "nothing
changed" from the cache alone: no query, not even the session's. The services bump the
versions, so the next poll after a change gets the new state; a reader who lost access gets no
data; a session signed out gets no 304."""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from meetings.services import Invitees, invitations_set
from room import services as room_services
from voting import services as voting
from voting.models import Option, Vote


def poll(client, url: str, etag: str = "") -> tuple:
    headers = {"if-none-match": etag} if etag else {}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, [q["sql"] for q in queries]


def assert_quiet(client, url: str, etag: str) -> None:
    """An empty 304, and not one query."""
    answer, sql = poll(client, url, etag)
    assert answer.status_code == 304 and answer.content == b"", url
    assert sql == [], sql


def open_vote(room, role_users, **kw) -> Vote:
    return voting.vote_open(
        meeting=room["meeting"], by=role_users["secretary"], question="Thông qua kế hoạch?", **kw
    )


def first_option(vote: Vote) -> Option:
    return Option.objects.filter(vote=vote).order_by("position").first()


def test_the_screen_answers_304_without_a_query_until_the_room_changes(
    client_for, role_users, room
):
    secretary = client_for("secretary")
    url = reverse("room:screen_fragment", args=[room["meeting"].pk])
    first = secretary.get(url)
    assert first.status_code == 200 and first["ETag"]

    quiet, sql = poll(secretary, url, first["ETag"])
    assert quiet.status_code == 304 and quiet.content == b""
    assert sql == []
    assert quiet["ETag"] == first["ETag"]
    assert "private" in quiet["Cache-Control"] and "no-cache" in quiet["Cache-Control"]

    vote = open_vote(room, role_users, is_secret=True)
    opened, _sql = poll(secretary, url, first["ETag"])
    assert opened.status_code == 200
    assert "Thông qua kế hoạch?" in opened.content.decode() and "0 / 3" in opened.content.decode()
    assert_quiet(secretary, url, opened["ETag"])

    voting.vote_cast(
        vote=vote,
        invitation=room["own"],
        by=role_users["unit_leader"],
        option_ids=[first_option(vote).pk],
    )
    counted, _sql = poll(secretary, url, opened["ETag"])
    assert counted.status_code == 200 and "1 / 3" in counted.content.decode()


def test_the_speaker_given_the_floor_shows_at_the_next_poll(client_for, role_users, room):
    meeting = room["meeting"]
    secretary = client_for("secretary")
    url = reverse("room:screen_fragment", args=[meeting.pk])
    etag = secretary.get(url)["ETag"]
    item = meeting.agenda_items.order_by("position").first()
    room_services.item_start(meeting=meeting, item=item, by=role_users["secretary"])
    speech = room_services.floor_request(
        meeting=meeting,
        item=item,
        by=role_users["unit_leader"],
        invitation=room["own"],
        name="Nguyễn Văn Phát Biểu",
    )
    etag = secretary.get(url, headers={"if-none-match": etag})["ETag"]
    assert poll(secretary, url, etag)[0].status_code == 304
    room_services.floor_give(speech=speech, by=role_users["secretary"])
    given, _sql = poll(secretary, url, etag)
    assert given.status_code == 200 and "Nguyễn Văn Phát Biểu" in given.content.decode()


def test_the_member_s_banner_shows_a_vote_then_drops_it_once_cast(client_for, role_users, room):
    leader = client_for("unit_leader")
    url = reverse("room:calls", args=[room["meeting"].pk])
    empty = leader.get(url)
    assert empty.status_code == 200 and "Biểu quyết ngay" not in empty.content.decode()
    assert_quiet(leader, url, empty["ETag"])

    vote = open_vote(room, role_users)
    called, _sql = poll(leader, url, empty["ETag"])
    assert called.status_code == 200 and "Biểu quyết ngay" in called.content.decode()
    assert_quiet(leader, url, called["ETag"])

    # Somebody else's ballot leaves this banner as it is, without a query.
    other = room["present"][0]
    voting.vote_cast(
        vote=vote, invitation=other.invitation, by=other.user, option_ids=[first_option(vote).pk]
    )
    assert_quiet(leader, url, called["ETag"])
    # The unit's own ballot, cast from another device, takes the call away.
    voting.vote_cast(
        vote=vote,
        invitation=room["own"],
        by=role_users["unit_clerk"],
        option_ids=[first_option(vote).pk],
    )
    cast, _sql = poll(leader, url, called["ETag"])
    assert cast.status_code == 200 and "Biểu quyết ngay" not in cast.content.decode()


def test_the_dashboard_banner_is_answered_from_the_cache_too(client_for, role_users, room):
    """It follows the votes of the meetings around their hours (here: under way)."""
    now = timezone.now()
    Meeting.objects.filter(pk=room["meeting"].pk).update(
        start_at=now - timedelta(minutes=5), end_at=now + timedelta(hours=2)
    )
    leader = client_for("unit_leader")
    url = reverse("room:my_calls")
    empty = leader.get(url)
    assert_quiet(leader, url, empty["ETag"])
    open_vote(room, role_users)
    called, _sql = poll(leader, url, empty["ETag"])
    assert called.status_code == 200 and "Thông qua kế hoạch?" in called.content.decode()


def test_the_live_count_and_the_list_of_votes_answer_from_the_cache(client_for, role_users, room):
    vote = open_vote(room, role_users)
    secretary = client_for("secretary")
    live = reverse("voting:live", args=[vote.pk])
    votes = reverse("voting:list", args=[room["meeting"].pk])
    etags = {url: secretary.get(url)["ETag"] for url in (live, votes)}
    for url, etag in etags.items():
        assert_quiet(secretary, url, etag)
    voting.vote_cast(
        vote=vote,
        invitation=room["own"],
        by=role_users["unit_leader"],
        option_ids=[first_option(vote).pk],
    )
    counted, _sql = poll(secretary, live, etags[live])
    assert counted.status_code == 200 and "<strong>1</strong>" in counted.content.decode()
    # The list does not follow the ballots, only the votes opened and closed.
    assert poll(secretary, votes, etags[votes])[0].status_code == 304
    voting.vote_close(vote=vote, by=role_users["secretary"])
    closed, _sql = poll(secretary, votes, etags[votes])
    assert closed.status_code == 200 and "Đã kết thúc" in closed.content.decode()


def test_a_reader_whose_invitation_is_withdrawn_gets_no_data(
    client_for, role_users, room, department
):
    meeting = room["meeting"]
    leader = client_for("unit_leader")
    urls = [
        reverse("voting:list", args=[meeting.pk]),
        reverse("room:calls", args=[meeting.pk]),
        reverse("comments:feed", args=[meeting.pk]),
    ]
    etags = {url: leader.get(url)["ETag"] for url in urls}
    assert all(poll(leader, url, etag)[0].status_code == 304 for url, etag in etags.items())
    others = [voter.invitation.unit for voter in room["present"]] + [room["absent"].invitation.unit]
    invitations_set(meeting=meeting, by=role_users["clerk"], invitees=Invitees(units=others))
    for url, etag in etags.items():
        answer, _sql = poll(leader, url, etag)
        assert answer.status_code == 404, url


def test_a_signed_out_session_gets_no_304(client_for, room):
    secretary = client_for("secretary")
    url = reverse("room:screen_fragment", args=[room["meeting"].pk])
    etag = secretary.get(url)["ETag"]
    secretary.post(reverse("accounts:logout"))
    answer, _sql = poll(secretary, url, etag)
    assert answer.status_code == 302 and reverse("accounts:login") in answer["Location"]


def test_a_lost_cache_never_gives_an_old_304(client_for, room):
    secretary = client_for("secretary")
    url = reverse("room:screen_fragment", args=[room["meeting"].pk])
    etag = secretary.get(url)["ETag"]
    cache.clear()
    again, _sql = poll(secretary, url, etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_the_result_a_voter_waits_for_answers_from_the_cache_until_the_vote_closes(
    client_for, role_users, room
):
    vote = open_vote(room, role_users)
    leader = client_for("unit_leader")
    url = reverse("voting:outcome", args=[vote.pk])
    waiting = leader.get(url)
    assert waiting.status_code == 200 and "Kết quả được công bố" in waiting.content.decode()
    assert_quiet(leader, url, waiting["ETag"])
    # The ballots do not change it, only the vote closed.
    voting.vote_cast(
        vote=vote,
        invitation=room["own"],
        by=role_users["unit_leader"],
        option_ids=[first_option(vote).pk],
    )
    assert_quiet(leader, url, waiting["ETag"])
    voting.vote_close(vote=vote, by=role_users["secretary"])
    closed, _sql = poll(leader, url, waiting["ETag"])
    assert closed.status_code == 200 and "Danh sách biểu quyết theo tên" in closed.content.decode()
