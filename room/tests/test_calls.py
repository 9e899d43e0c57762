"""What a member must not miss in the room: a vote they may cast is open, or the floor is theirs.
A small fragment on the meeting page and the dashboard, polled with an ETag: an empty 304 while
nothing changed for this account."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import kept
from meetings.models import Meeting
from meetings.selectors import meetings_visible_to
from room import services as room_services
from room.selectors import CALLS_WATCHED
from room.templatetags import room_tags
from voting import services as voting_services
from voting.models import Option

pytestmark = pytest.mark.django_db


def _calls(meeting):
    return reverse("room:calls", args=[meeting.pk])


def _now(meeting):
    """The meeting is under way: the pages poll for calls."""
    start = timezone.now() - timedelta(minutes=20)
    Meeting.objects.filter(pk=meeting.pk).update(start_at=start, end_at=start + timedelta(hours=2))


def test_an_open_vote_is_one_tap_away_until_the_ballot_is_cast(
    client_for, role_users, room_meeting
):
    leader = client_for("unit_leader")
    first = leader.get(_calls(room_meeting))
    assert first.status_code == 200 and "bieu-quyet" not in first.content.decode()
    vote = voting_services.vote_open(
        meeting=room_meeting, by=role_users["secretary"], question="Thông qua kế hoạch quý IV?"
    )
    ballot = reverse("voting:detail", args=[vote.pk])
    opened = leader.get(_calls(room_meeting), headers={"if-none-match": first["ETag"]})
    html = opened.content.decode()
    assert opened.status_code == 200 and opened["ETag"] != first["ETag"]
    assert f'href="{ballot}"' in html and "Thông qua kế hoạch quý IV?" in html
    assert "Biểu quyết ngay" in html
    same = leader.get(_calls(room_meeting), headers={"if-none-match": opened["ETag"]})
    assert same.status_code == 304 and same.content == b""
    # The dashboard's fragment, for every meeting, says the same.
    mine = leader.get(reverse("room:my_calls")).content.decode()
    assert f'href="{ballot}"' in mine and room_meeting.title in mine
    # A named attendee does not cast the unit's ballot: nothing to tap for the member.
    assert f'href="{ballot}"' not in client_for("member").get(_calls(room_meeting)).content.decode()
    voting_services.vote_cast(
        vote=vote,
        invitation=room_meeting.invitations.get(),
        by=role_users["unit_leader"],
        option_ids=[Option.objects.get(vote=vote, position=1).pk],
    )
    cast = leader.get(_calls(room_meeting), headers={"if-none-match": opened["ETag"]})
    assert cast.status_code == 200 and f'href="{ballot}"' not in cast.content.decode()


def test_an_absent_unit_is_not_called_to_vote(client_for, role_users, room_meeting):
    from attendance.models import Presence

    Presence.objects.filter(invitation__meeting=room_meeting).update(status="absent", reason="Ốm")
    vote = voting_services.vote_open(
        meeting=room_meeting, by=role_users["secretary"], question="Thông qua?"
    )
    html = client_for("unit_leader").get(_calls(room_meeting)).content.decode()
    assert reverse("voting:detail", args=[vote.pk]) not in html


def test_the_speaker_given_the_floor_is_told(client_for, role_users, room_meeting, items):
    member = client_for("member")
    member.post(reverse("room:speak", args=[room_meeting.pk]), {"item": items[0].pk})
    before = member.get(_calls(room_meeting))
    assert "Mời đồng chí phát biểu" not in before.content.decode()
    speech = room_meeting.speeches.get()
    room_services.floor_give(speech=speech, by=role_users["secretary"])
    given = member.get(_calls(room_meeting), headers={"if-none-match": before["ETag"]})
    assert given.status_code == 200 and "Mời đồng chí phát biểu" in given.content.decode()
    assert items[0].title in given.content.decode()
    assert (
        member.get(_calls(room_meeting), headers={"if-none-match": given["ETag"]}).status_code
        == 304
    )
    others = client_for("unit_leader").get(_calls(room_meeting)).content.decode()
    assert "Mời đồng chí phát biểu" not in others
    assert "Mời đồng chí phát biểu" in member.get(reverse("room:my_calls")).content.decode()
    room_services.turn_close(meeting=room_meeting, by=role_users["secretary"])
    done = member.get(_calls(room_meeting), headers={"if-none-match": given["ETag"]})
    assert done.status_code == 200 and "Mời đồng chí phát biểu" not in done.content.decode()


def test_the_meeting_page_and_the_dashboard_carry_the_banner(client_for, role_users, room_meeting):
    _now(room_meeting)
    vote = voting_services.vote_open(
        meeting=room_meeting, by=role_users["secretary"], question="Thông qua?"
    )
    leader = client_for("unit_leader")
    ballot = reverse("voting:detail", args=[vote.pk])
    page = leader.get(reverse("meetings:detail", args=[room_meeting.pk])).content.decode()
    assert f'hx-get="{_calls(room_meeting)}"' in page and f'href="{ballot}"' in page
    board = leader.get(reverse("portal:dashboard")).content.decode()
    assert f'hx-get="{reverse("room:my_calls")}"' in board and f'href="{ballot}"' in board


def test_the_pages_keep_the_banner_under_its_tag_until_a_call_changes(
    client_for, role_users, room_meeting, monkeypatch
):
    """The meeting page and the dashboard read the banner from the cache while what its poll
    watches is unchanged (room.calls), and ask it again once a service bumps it: a vote opened, a
    ballot cast, the unit marked absent, the floor given."""
    from attendance.models import Presence
    from room import calls as kept

    _now(room_meeting)
    asked: list[object] = []
    real = kept.selectors.calls_for

    def counted(user, meeting=None):
        asked.append(meeting)
        return real(user, meeting)

    monkeypatch.setattr(kept.selectors, "calls_for", counted)
    leader = client_for("unit_leader")
    page_url = reverse("meetings:detail", args=[room_meeting.pk])
    board_url = reverse("portal:dashboard")

    def shown(url):
        asked.clear()
        html = leader.get(url).content.decode()
        return html, len(asked)

    assert shown(page_url)[1] == 1 and shown(board_url)[1] == 1
    assert shown(page_url)[1] == 0 and shown(board_url)[1] == 0  # kept, nothing changed
    vote = voting_services.vote_open(
        meeting=room_meeting, by=role_users["secretary"], question="Thông qua dự toán?"
    )
    ballot = f'href="{reverse("voting:detail", args=[vote.pk])}"'
    for url in (page_url, board_url):
        html, n = shown(url)
        assert n == 1 and ballot in html and "Thông qua dự toán?" in html, url
        html, n = shown(url)
        assert n == 0 and ballot in html, url
    # Marked absent in the roll, the unit may not vote: its banner is asked again.
    invitation = room_meeting.invitations.get()
    presences = list(Presence.objects.filter(invitation=invitation))
    assert presences
    for presence in presences:  # saved as the roll's services save it (attendance.polling)
        presence.status, presence.reason = "absent", "Ốm"
        presence.save()
    for url in (page_url, board_url):
        html, n = shown(url)
        assert n == 1 and ballot not in html, url
    for presence in presences:
        presence.status, presence.reason = "present", ""
        presence.save()
    voting_services.vote_cast(
        vote=vote,
        invitation=invitation,
        by=role_users["unit_leader"],
        option_ids=[Option.objects.get(vote=vote, position=1).pk],
    )
    for url in (page_url, board_url):
        html, n = shown(url)
        assert n == 1 and ballot not in html, url
    # Another account's banner is its own, never the leader's kept one.
    member = client_for("member").get(page_url).content.decode()
    assert ballot not in member


def test_no_polling_far_from_the_meeting(client_for, room_meeting):
    """Ten days before the meeting nothing can be called: the page does not poll."""
    page = client_for("unit_leader").get(reverse("meetings:detail", args=[room_meeting.pk]))
    assert _calls(room_meeting) not in page.content.decode()


def test_who_may_ask(client_for, meetings, room_meeting):
    assert client_for("outsider").get(_calls(room_meeting)).status_code == 404
    assert client_for("anonymous").get(_calls(room_meeting)).status_code == 302
    assert client_for("unit_leader").post(_calls(room_meeting)).status_code == 405
    assert client_for("unit_leader").get(_calls(meetings["draft"])).status_code == 404


@pytest.mark.parametrize(
    ("starts", "ends", "status", "polls"),
    [
        (timedelta(days=-3), timedelta(days=3), "published", True),  # days long, going on
        (timedelta(hours=-2), -room_tags.CALLS_MARGIN, "published", True),  # the margin's end
        (timedelta(hours=-3), timedelta(hours=-2), "published", False),  # ended before the window
        (room_tags.CALLS_MARGIN, timedelta(hours=2), "published", True),  # the margin's start
        (timedelta(hours=2), timedelta(hours=3), "published", False),  # starting after it
        (timedelta(minutes=20), timedelta(hours=1), "draft", False),  # a draft is nobody's call
        (timedelta(minutes=-20), timedelta(hours=1), "cancelled", False),
    ],
)
def test_the_meeting_page_polls_exactly_around_its_meeting(
    role_users, room_meeting, monkeypatch, django_assert_num_queries, starts, ends, status, polls
):
    """The meeting page's banner polls while its meeting is running and meets the hour around
    now, asked of the meeting the page read, with no query of its own."""
    now = timezone.now()
    monkeypatch.setattr(room_tags, "timezone", SimpleNamespace(now=lambda: now))
    Meeting.objects.filter(pk=room_meeting.pk).update(
        start_at=now + starts, end_at=now + ends, status=status
    )
    meeting = Meeting.objects.get(pk=room_meeting.pk)
    leader = role_users["unit_leader"]
    context = {"request": SimpleNamespace(user=leader)}
    calls = room_tags.selectors.calls_for(leader, meeting)  # the banner's own reads, asked before
    assert calls == []
    monkeypatch.setattr(room_tags.selectors, "calls_for", lambda user, meeting: calls)
    with django_assert_num_queries(0):
        assert room_tags.room_calls(context, meeting)["polls"] is polls


@pytest.mark.parametrize(
    ("starts", "ends", "status", "polls"),
    [
        (timedelta(days=-3), timedelta(days=3), "published", True),  # days long, going on
        (timedelta(hours=-3), timedelta(minutes=-30), "published", True),  # going on at the start
        (timedelta(hours=-3), timedelta(hours=-2), "published", False),  # ended before the window
        (timedelta(minutes=30), timedelta(hours=2), "published", True),  # starting within
        (timedelta(hours=2), timedelta(hours=3), "published", False),  # starting after it
        (timedelta(minutes=20), timedelta(hours=1), "draft", False),  # a draft is nobody's call
    ],
)
def test_the_dashboard_polls_exactly_around_a_meeting(
    role_users, room_meeting, monkeypatch, starts, ends, status, polls
):
    """The dashboard's banner polls while one of the account's meetings meets the hour around
    now: read as the meetings going on at the window's start and those starting within it, the
    same answer as the window asked of every meeting of the account."""
    now = timezone.now().replace(second=30)
    monkeypatch.setattr(room_tags, "timezone", SimpleNamespace(now=lambda: now))
    Meeting.objects.filter(pk=room_meeting.pk).update(
        start_at=now + starts, end_at=now + ends, status=status
    )
    leader = role_users["unit_leader"]
    minute = now.replace(second=0, microsecond=0)
    since, until = minute - room_tags.CALLS_MARGIN, minute + room_tags.CALLS_MARGIN
    asked_whole = (
        meetings_visible_to(leader)
        .filter(start_at__lte=until, end_at__gte=since, status=Meeting.Status.PUBLISHED)
        .exists()
    )
    for _ in range(2):  # built, then from the kept queries
        got = room_tags.room_calls({"request": SimpleNamespace(user=leader)})["polls"]
        assert got is asked_whole is polls
    # At the window's very end: starting at `until` meets it.
    Meeting.objects.filter(pk=room_meeting.pk).update(
        start_at=until, end_at=until + timedelta(hours=1), status="published"
    )
    assert room_tags.room_calls({"request": SimpleNamespace(user=leader)})["polls"] is True


@pytest.mark.parametrize(
    ("starts", "ends", "status", "followed"),
    [
        (timedelta(days=-3), timedelta(days=3), "published", True),  # days long, going on
        (timedelta(hours=-13), -CALLS_WATCHED, "published", True),  # ends at the window's start
        (timedelta(hours=-14), timedelta(hours=-13), "published", False),  # ended before it
        (-CALLS_WATCHED, timedelta(hours=-11), "published", True),  # starts at its start
        (CALLS_WATCHED, timedelta(hours=13), "published", True),  # starts at its end
        (timedelta(hours=13), timedelta(hours=14), "published", False),  # starts after it
        (timedelta(minutes=20), timedelta(hours=1), "draft", False),
        (timedelta(minutes=-20), timedelta(hours=1), "cancelled", False),
    ],
)
def test_the_dashboard_follows_the_votes_of_exactly_the_meetings_around_now(
    role_users, room_meeting, monkeypatch, starts, ends, status, followed
):
    """calls_meetings, read as the meetings going on at the window's start and those whose
    invitation's kept start falls within it, is the window asked of each meeting's hours (the
    window of the minute's start: asked here at a minute's start, and again later in it)."""
    from room import selectors as room_selectors

    now = timezone.now().replace(second=0, microsecond=0)
    monkeypatch.setattr(room_selectors, "timezone", SimpleNamespace(now=lambda: now))
    Meeting.objects.filter(pk=room_meeting.pk).update(
        start_at=now + starts, end_at=now + ends, status=status
    )
    leader = role_users["unit_leader"]
    asked_of_hours = Meeting.objects.filter(
        pk=room_meeting.pk,
        status=Meeting.Status.PUBLISHED,
        start_at__lte=now + CALLS_WATCHED,
        end_at__gte=now - CALLS_WATCHED,
    ).exists()
    assert asked_of_hours is followed
    assert (room_meeting.pk in room_selectors.calls_meetings(leader)) is followed
    later = now + timedelta(seconds=59)
    monkeypatch.setattr(room_selectors, "timezone", SimpleNamespace(now=lambda: later))
    assert (room_meeting.pk in room_selectors.calls_meetings(leader)) is followed
    # Kept for the leader's shape, not built for the account (accounts.kept).
    forms = [
        form
        for key, form in kept._kept.items()
        if key[0] == "room.calls.meetings" and key[1] == kept.shape_of(leader)
    ]
    assert forms and all(form is not None for form in forms)


def test_the_meeting_page_links_the_room_by_role_asking_the_roll_once(
    client_for, role_users, room_meeting, monkeypatch
):
    """The meeting page's room links (room_tags.room_links) come from the rules its view asked
    for the primary action: the secretary runs the session, a present invitee asks to speak
    (its primary action in the room), an invitee not present does neither; whether the account
    may speak (which reads the roll) is asked once per page."""
    from attendance.models import Presence
    from room import selectors as room_selectors

    url = reverse("meetings:detail", args=[room_meeting.pk])
    run = f'href="{reverse("room:control", args=[room_meeting.pk])}"'
    speak = f'href="{reverse("room:speak", args=[room_meeting.pk])}"'
    secretary = client_for("secretary").get(url).content.decode()
    assert run in secretary and speak not in secretary
    asked: list[int] = []
    real = room_selectors.floor_identities

    def counted(user, meeting):
        asked.append(meeting.pk)
        return real(user, meeting)

    monkeypatch.setattr(room_selectors, "floor_identities", counted)
    leader = client_for("unit_leader").get(url).content.decode()
    assert speak in leader and run not in leader
    assert f'class="btn btn-primary" {speak}' in leader
    assert asked == [room_meeting.pk]
    for presence in Presence.objects.filter(invitation__meeting=room_meeting):
        presence.status, presence.reason = "absent", "Ốm"
        presence.save()
    absent = client_for("unit_leader").get(url).content.decode()
    assert speak not in absent and run not in absent
