"""Votes (B6): opening, casting and every refusal, the named list, the percentages, secrecy from
the rows, the live count, the PDF, the room's screen, query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import signed_in_client
from core import polling
from meetings import polling as polls
from meetings.models import Meeting, MeetingChange
from meetings.tests.factories import make_meeting
from notifications.models import Event, OutboxMessage
from voting import selectors, services
from voting.models import Choice, Option, Participation, Vote

from .conftest import add_voters


def _open(room, role_users, **kw) -> Vote:
    return services.vote_open(
        meeting=room["meeting"], by=role_users["secretary"], question="Thông qua kế hoạch", **kw
    )


def _opt(vote: Vote, n: int) -> Option:
    return vote.options.get(position=n)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _cast(client, vote: Vote, invitation, *options) -> list[str]:
    response = client.post(
        reverse("voting:cast", args=[vote.pk]),
        {
            "invitation": invitation if isinstance(invitation, str) else invitation.pk,
            "option": [str(o if isinstance(o, str) else o.pk) for o in options],
        },
        follow=True,
    )
    assert response.status_code == 200
    return _messages(response)


def _tallies(vote: Vote) -> list[int]:
    return list(vote.options.order_by("position").values_list("tally", flat=True))


# ---- opening -------------------------------------------------------------------------------


def test_secretary_opens_a_vote_with_default_options(client_for, room):
    meeting = room["meeting"]
    response = client_for("secretary").post(
        reverse("voting:create", args=[meeting.pk]),
        {
            "question": "Thông qua kế hoạch năm 2025",
            "max_choices": 1,
            "is_secret": "0",
            "electorate": "present",
        },
    )
    vote = Vote.objects.get(meeting=meeting)
    assert response.status_code == 302 and response["Location"] == reverse(
        "voting:detail", args=[vote.pk]
    )
    assert [o.label for o in vote.options.all()] == ["Đồng ý", "Không đồng ý", "Không biểu quyết"]
    change = MeetingChange.objects.get(meeting=meeting, kind=MeetingChange.Kind.VOTE_OPENED)
    assert change.visible_to_invitees and change.notified_at is not None
    # The room's history is not mailed.
    assert not Event.objects.filter(meeting=meeting).exclude(kind="published").exists()


def test_custom_options_and_secret_cannot_allow_changes(client_for, room):
    url = reverse("voting:create", args=[room["meeting"].pk])
    data = {
        "question": "Chọn phương án",
        "max_choices": 2,
        "is_secret": "1",
        "electorate": "invited",
        "custom": "on",
        "options": "Phương án A\nPhương án B\n\nPhương án C",
        "may_change": "on",
    }
    response = client_for("clerk").post(url, data)
    assert response.status_code == 400
    assert "Bỏ phiếu kín không cho đổi lựa chọn" in response.content.decode()
    del data["may_change"]
    assert client_for("clerk").post(url, data).status_code == 302
    vote = Vote.objects.get()
    assert [o.label for o in vote.options.all()] == ["Phương án A", "Phương án B", "Phương án C"]
    assert vote.is_secret and vote.max_choices == 2 and vote.electorate == "invited"


def test_opening_is_refused_on_a_cancelled_or_postponed_meeting(role_users, room, client_for):
    meeting = room["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError, match="phát hành"):
        _open(room, role_users)
    assert (
        client_for("secretary").get(reverse("voting:create", args=[meeting.pk])).status_code == 403
    )
    assert not Vote.objects.exists()


def test_members_and_unit_accounts_do_not_open_votes(client_for, room):
    url = reverse("voting:create", args=[room["meeting"].pk])
    for role in ("member", "unit_leader", "unit_clerk"):
        assert client_for(role).post(url, {"question": "X", "max_choices": 1}).status_code == 403
    assert client_for("outsider").post(url, {"question": "X"}).status_code == 404
    assert not Vote.objects.exists()


# ---- casting and its refusals --------------------------------------------------------------


def test_invitee_casts_once_and_a_double_tap_is_one_vote(client_for, role_users, room):
    vote = _open(room, role_users)
    client = client_for("unit_leader")
    assert _cast(client, vote, room["own"], _opt(vote, 1)) == ["Đã ghi nhận phiếu biểu quyết."]
    again = _cast(client, vote, room["own"], _opt(vote, 2))
    assert "đã được ghi nhận" in again[0]
    # The unit's other account answers for the same invitation: still one vote.
    assert (
        "đã được ghi nhận" in _cast(client_for("unit_clerk"), vote, room["own"], _opt(vote, 2))[0]
    )
    assert _tallies(vote) == [1, 0, 0]
    assert Participation.objects.filter(vote=vote).count() == 1
    choice = Choice.objects.get(vote=vote)
    assert choice.option == _opt(vote, 1) and choice.by == role_users["unit_leader"]


def test_closed_vote_refuses_ballots(client_for, role_users, room):
    vote = _open(room, role_users)
    services.vote_close(vote=vote, by=role_users["secretary"])
    messages = _cast(client_for("unit_leader"), vote, room["own"], _opt(vote, 1))
    assert messages == ["Biểu quyết đã kết thúc; phiếu không được ghi nhận."]
    assert _tallies(vote) == [0, 0, 0] and not Participation.objects.exists()


def test_vote_past_its_closing_time_closes_itself_and_refuses(client_for, role_users, room):
    vote = _open(room, role_users, closes_at=timezone.now() + timedelta(minutes=5))
    Vote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    vote.refresh_from_db()
    with pytest.raises(ValidationError, match="hết thời gian"):
        services.vote_cast(
            vote=vote,
            invitation=room["own"],
            by=role_users["unit_leader"],
            option_ids=[_opt(vote, 1).pk],
        )
    assert "kết thúc" in _cast(client_for("unit_leader"), vote, room["own"], _opt(vote, 1))[0]
    vote.refresh_from_db()
    assert vote.status == "closed" and vote.closed_by is None and vote.final_ballots == 0


def test_pages_only_read_a_vote_past_its_time_and_the_queue_closes_it_on_time(
    client_for, role_users, room, django_capture_on_commit_callbacks
):
    from django_q.models import Schedule

    with django_capture_on_commit_callbacks(execute=True):
        vote = _open(room, role_users, closes_at=timezone.now() + timedelta(minutes=5))
    once = Schedule.objects.get(name=f"voting:close:{vote.pk}")
    assert once.func == "voting.services.close_due" and once.schedule_type == Schedule.ONCE
    assert once.next_run == vote.closes_at
    past = timezone.now() - timedelta(seconds=30)
    Vote.objects.filter(pk=vote.pk).update(closes_at=past)
    member = client_for("unit_leader")
    for url in (
        reverse("voting:detail", args=[vote.pk]),
        reverse("voting:list", args=[room["meeting"].pk]),
        reverse("room:screen", args=[room["meeting"].pk]),
    ):
        assert member.get(url).status_code == 200
    vote.refresh_from_db()
    assert vote.status == Vote.Status.OPEN  # a GET never writes
    assert services.close_due() == 1
    vote.refresh_from_db()
    assert vote.status == Vote.Status.CLOSED and vote.closed_at == past and vote.closed_by is None
    assert services.close_due() == 0


@pytest.mark.parametrize("forged", ["abc", "999999", ""])
def test_forged_option_is_refused(client_for, role_users, room, forged):
    vote = _open(room, role_users)
    messages = _cast(client_for("unit_leader"), vote, room["own"], forged)
    assert messages and ("không thuộc biểu quyết" in messages[0] or "Hãy chọn" in messages[0])
    assert _tallies(vote) == [0, 0, 0] and not Participation.objects.exists()


def test_option_of_another_vote_is_refused(client_for, role_users, room):
    vote, other = _open(room, role_users), _open(room, role_users)
    messages = _cast(client_for("unit_leader"), vote, room["own"], _opt(other, 1))
    assert "không thuộc biểu quyết này" in messages[0]
    assert _tallies(vote) == [0, 0, 0] == _tallies(other)


def test_too_many_choices_are_refused(client_for, role_users, room):
    vote = _open(room, role_users)
    messages = _cast(client_for("unit_leader"), vote, room["own"], _opt(vote, 1), _opt(vote, 2))
    assert "tối đa 1" in messages[0] and _tallies(vote) == [0, 0, 0]


def test_invitation_of_another_meeting_is_refused(client_for, role_users, room, department):
    vote = _open(room, role_users)
    elsewhere = make_meeting(by=role_users["clerk"], title="Họp khác", units=[department])
    messages = _cast(client_for("unit_leader"), vote, elsewhere.invitations.get(), _opt(vote, 1))
    assert "không biểu quyết thay" in messages[0]
    with pytest.raises(ValidationError, match="không thuộc cuộc họp"):
        services.vote_cast(
            vote=vote,
            invitation=elsewhere.invitations.get(),
            by=role_users["unit_leader"],
            option_ids=[_opt(vote, 1).pk],
        )
    assert not Participation.objects.exists()


def test_someone_elses_invitation_is_refused(client_for, role_users, room):
    vote = _open(room, role_users)
    messages = _cast(client_for("unit_leader"), vote, room["present"][0].invitation, _opt(vote, 1))
    assert "không biểu quyết thay" in messages[0] and not Participation.objects.exists()


def test_absent_invitee_is_refused_unless_all_invitees_vote(client, role_users, room):
    absent = room["absent"]
    client.force_login(absent.user)
    vote = _open(room, role_users)
    assert "có mặt" in _cast(client, vote, absent.invitation, _opt(vote, 1))[0]
    assert not Participation.objects.exists()
    everyone = _open(room, role_users, electorate="invited")
    assert _cast(client, everyone, absent.invitation, _opt(everyone, 2)) == [
        "Đã ghi nhận phiếu biểu quyết."
    ]


def test_uninvited_account_gets_404_and_a_non_voter_403(client_for, role_users, room):
    vote = _open(room, role_users)
    url = reverse("voting:cast", args=[vote.pk])
    data = {"invitation": room["own"].pk, "option": _opt(vote, 1).pk}
    assert client_for("outsider").post(url, data).status_code == 404
    assert client_for("admin").post(url, data).status_code == 404
    assert client_for("member").post(url, data).status_code == 403
    assert not Participation.objects.exists()


def test_named_vote_may_be_changed_while_open_when_allowed(client_for, role_users, room):
    vote = _open(room, role_users, may_change=True)
    client = client_for("unit_leader")
    _cast(client, vote, room["own"], _opt(vote, 1))
    assert _cast(client, vote, room["own"], _opt(vote, 2)) == ["Đã ghi nhận phiếu biểu quyết."]
    assert _tallies(vote) == [0, 1, 0]
    assert list(Choice.objects.values_list("option__position", flat=True)) == [2]


# ---- results ---------------------------------------------------------------------------------


def test_percentages_of_present_and_of_invited_by_hand(client, role_users, room):
    """Invited 4 (own, two present units, one absent), present 3. Ballots: own and the first
    present unit choose Đồng ý, the second Không đồng ý. Đồng ý: 2/3 = 66.7 % of present,
    2/4 = 50.0 % of invited; Không đồng ý 33.3 % and 25.0 %; Không biểu quyết 0."""
    vote = _open(room, role_users)
    yes, no = _opt(vote, 1).pk, _opt(vote, 2).pk
    services.vote_cast(
        vote=vote, invitation=room["own"], by=role_users["unit_leader"], option_ids=[yes]
    )
    first, second = room["present"]
    services.vote_cast(vote=vote, invitation=first.invitation, by=first.user, option_ids=[yes])
    services.vote_cast(vote=vote, invitation=second.invitation, by=second.user, option_ids=[no])
    live = selectors.result_for(vote)
    vote = services.vote_close(vote=vote, by=role_users["secretary"])
    result = selectors.result_for(vote)
    for r in (live, result):
        assert (r.ballots, r.present, r.invited) == (3, 3, 4)
        assert [(row.count, row.of_present, row.of_invited) for row in r.rows] == [
            (2, Decimal("66.7"), Decimal("50.0")),
            (1, Decimal("33.3"), Decimal("25.0")),
            (0, Decimal("0.0"), Decimal("0.0")),
        ]
    assert result.is_final and result.turnout_of_invited == Decimal("75.0")
    change = MeetingChange.objects.get(kind=MeetingChange.Kind.VOTE_CLOSED)
    assert "Đồng ý: 2; Không đồng ý: 1; Không biểu quyết: 0" in change.summary
    assert change.details["result"] == {"Đồng ý": 2, "Không đồng ý": 1, "Không biểu quyết": 0}
    # The named list, in the order of the invitations.
    named = selectors.named_list(vote)
    assert [(row.invitation.pk, row.labels) for row in named] == [
        (room["own"].pk, ["Đồng ý"]),
        (first.invitation.pk, ["Đồng ý"]),
        (second.invitation.pk, ["Không đồng ý"]),
    ]
    # The invitees see the result in the meeting's history.
    client.force_login(second.user)
    page = client.get(reverse("voting:detail", args=[vote.pk])).content.decode()
    assert ("66,7%" in page or "66.7%" in page) and "Danh sách biểu quyết theo tên" in page


def test_pdf_of_a_closed_named_vote(client_for, role_users, room):
    vote = _open(room, role_users)
    services.vote_cast(
        vote=vote,
        invitation=room["own"],
        by=role_users["unit_leader"],
        option_ids=[_opt(vote, 1).pk],
    )
    assert client_for("member").get(reverse("voting:pdf", args=[vote.pk])).status_code == 403
    services.vote_close(vote=vote, by=role_users["secretary"])
    response = client_for("member").get(reverse("voting:pdf", args=[vote.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# ---- secrecy ---------------------------------------------------------------------------------


def test_secret_ballot_cannot_be_tied_to_its_voter_from_the_rows(client_for, role_users, room):
    vote = _open(room, role_users, is_secret=True)
    first, second = room["present"]
    services.vote_cast(
        vote=vote,
        invitation=room["own"],
        by=role_users["unit_leader"],
        option_ids=[_opt(vote, 1).pk],
    )
    services.vote_cast(
        vote=vote, invitation=first.invitation, by=first.user, option_ids=[_opt(vote, 2).pk]
    )
    services.vote_cast(
        vote=vote, invitation=second.invitation, by=second.user, option_ids=[_opt(vote, 2).pk]
    )
    # What was chosen: counters only, on rows with no voter, no time and no ballot order.
    assert not Choice.objects.filter(vote=vote).exists()
    assert {f.name for f in Option._meta.concrete_fields} == {
        "id",
        "vote",
        "position",
        "label",
        "tally",
    }
    assert _tallies(vote) == [1, 2, 0]
    # Who took part: the invitation and nothing else, no time, nothing pointing at an option.
    assert {f.name for f in Participation._meta.concrete_fields} == {"id", "vote", "invitation"}
    rows = list(Participation.objects.filter(vote=vote).values())
    assert {tuple(sorted(row)) for row in rows} == {("id", "invitation_id", "vote_id")}
    # Nothing in the audit log about options or participations, nothing naming an option id.
    for model in (Option, Participation, Choice):
        assert not LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=[str(pk) for pk in model.objects.values_list("pk", flat=True)],
        ).exists()
    # The live view shows how many voted, not the tallies, until the vote closes.
    live = client_for("secretary").get(reverse("voting:live", args=[vote.pk])).content.decode()
    assert "Bỏ phiếu kín" in live and "Không đồng ý" not in live
    # Changing a secret ballot is impossible: there is nothing to change.
    with pytest.raises(ValidationError):
        services.vote_cast(
            vote=vote, invitation=first.invitation, by=first.user, option_ids=[_opt(vote, 1).pk]
        )
    # And the database refuses a secret vote that would allow it.
    with pytest.raises(ValidationError):
        Vote(
            meeting=room["meeting"],
            question="X",
            is_secret=True,
            may_change=True,
            opened_by=role_users["secretary"],
        ).full_clean()
    vote = services.vote_close(vote=vote, by=role_users["secretary"])
    assert selectors.named_list(vote) == []
    pdf = client_for("secretary").get(reverse("voting:pdf", args=[vote.pk]))
    assert pdf.status_code == 200


# ---- live count, screen, query counts ----------------------------------------------------------


def test_live_count_answers_304_until_something_changes(client_for, role_users, room):
    vote = _open(room, role_users)
    client = client_for("secretary")
    url = reverse("voting:live", args=[vote.pk])
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    services.vote_cast(
        vote=vote,
        invitation=room["own"],
        by=role_users["unit_leader"],
        option_ids=[_opt(vote, 3).pk],
    )
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert "<strong>1</strong>" in again.content.decode()
    assert client_for("unit_leader").get(url).status_code == 403


def test_close_view_records_the_result_once(client_for, role_users, room):
    vote = _open(room, role_users)
    client = client_for("secretary")
    client.post(reverse("voting:close", args=[vote.pk]))
    client.post(reverse("voting:close", args=[vote.pk]))
    assert MeetingChange.objects.filter(kind=MeetingChange.Kind.VOTE_CLOSED).count() == 1
    assert (
        not OutboxMessage.objects.filter(event__meeting=room["meeting"])
        .exclude(event__kind="published")
        .exists()
    )
    assert (
        client_for("unit_leader").post(reverse("voting:close", args=[vote.pk])).status_code == 403
    )


def _screen_tag(meeting: Meeting) -> str:
    """The votes' part of the room screen's ETag: the versions the voting services bump."""
    names = [polls.version(kind, meeting.pk) for kind in ("votes", "ballots", "shown")]
    return polling.etag_for(polling.Watch(versions=names))


def test_screen_contract(role_users, room):
    meeting = room["meeting"]
    assert selectors.screen_vote(meeting) is None
    v0 = _screen_tag(meeting)
    vote = _open(room, role_users, is_secret=True)
    v1 = _screen_tag(meeting)
    assert selectors.screen_vote(meeting) == vote and v1 != v0
    services.vote_cast(
        vote=vote,
        invitation=room["own"],
        by=role_users["unit_leader"],
        option_ids=[_opt(vote, 1).pk],
    )
    v2 = _screen_tag(meeting)
    assert v2 != v1
    from django.template.loader import render_to_string

    html = render_to_string("voting/_screen.html", selectors.screen_context(meeting))
    assert "1 / 3" in html and "Đồng ý" not in html
    services.vote_close(vote=vote, by=role_users["secretary"])
    assert _screen_tag(meeting) != v2
    html = render_to_string("voting/_screen.html", selectors.screen_context(meeting))
    assert "Đồng ý" in html and "33.3%" in html
    Vote.objects.filter(pk=vote.pk).update(closed_at=timezone.now() - timedelta(minutes=11))
    assert selectors.screen_vote(meeting) is None


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["voting:detail", "voting:live", "voting:list"])
def test_query_counts_do_not_grow(client_for, role_users, room, page):
    vote = _open(room, role_users)
    client = client_for("secretary")
    url = reverse(page, args=[room["meeting"].pk if page == "voting:list" else vote.pk])
    services.vote_cast(
        vote=vote,
        invitation=room["own"],
        by=role_users["unit_leader"],
        option_ids=[_opt(vote, 1).pk],
    )
    client.get(url)
    few = _queries(client, url)
    for voter in add_voters(room["meeting"], role_users["clerk"], 12):
        services.vote_cast(
            vote=vote, invitation=voter.invitation, by=voter.user, option_ids=[_opt(vote, 2).pk]
        )
    _open(room, role_users)
    assert _queries(client, url) == few


# ---- the list of votes, for a phone waiting for one to open -----------------------------------
def test_a_phone_waiting_on_the_list_sees_a_vote_open_without_reloading(
    client_for, role_users, room
):
    """While the meeting is in progress and no vote is open the list polls itself; its answer is
    an empty 304 until a vote opens (a ballot does not change it), then the list with the vote,
    which stops polling."""
    meeting = room["meeting"]
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=now - timedelta(minutes=5), end_at=now + timedelta(hours=1)
    )
    client = client_for("unit_leader")
    url = reverse("voting:list", args=[meeting.pk])
    waiting = client.get(url)
    assert waiting.status_code == 200
    assert b'hx-select="#vote-list"' in waiting.content
    etag = waiting["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    vote = _open(room, role_users)
    opened = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert opened.status_code == 200
    assert vote.question.encode() in opened.content
    assert b'hx-select="#vote-list"' not in opened.content, "a vote is open: no more polling"

    services.vote_cast(
        vote=vote,
        invitation=room["own"],
        by=role_users["unit_leader"],
        option_ids=[_opt(vote, 1).pk],
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=opened["ETag"]).status_code == 304


def test_the_list_does_not_poll_before_the_meeting_starts(client_for, room):
    page = client_for("unit_leader").get(reverse("voting:list", args=[room["meeting"].pk]))
    assert page.status_code == 200
    assert b'hx-select="#vote-list"' not in page.content


def test_a_ballot_sent_by_the_phones_page_is_answered_in_place(client_for, role_users, room):
    """The ballot form posts through htmx: the answer is the ballots alone with the outcome (no
    redirect, no whole page); a second tap is refused in the same way."""
    vote = _open(room, role_users)
    client = client_for("unit_leader")
    page = client.get(reverse("voting:detail", args=[vote.pk])).content.decode()
    assert 'hx-target="#vote-ballots"' in page
    form = {"invitation": room["own"].pk, "option": _opt(vote, 1).pk}
    url = reverse("voting:cast", args=[vote.pk])
    answer = client.post(url, form, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "<html" not in body
    assert 'id="vote-ballots"' in body and "Đã ghi nhận phiếu biểu quyết." in body
    assert "Đã biểu quyết." in body and "alert-danger" not in body
    assert Participation.objects.filter(vote=vote, invitation=room["own"]).count() == 1

    again = client.post(url, form, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    assert "alert-danger" in again.content.decode()
    assert Participation.objects.filter(vote=vote).count() == 1
    assert Option.objects.get(pk=_opt(vote, 1).pk).tally == 1

    # Without JavaScript the form posts as before: a redirect to the page, the message on it.
    voter = room["present"][0]
    plain = signed_in_client(voter.user).post(
        url, {"invitation": voter.invitation.pk, "option": _opt(vote, 2).pk}, follow=True
    )
    assert plain.redirect_chain == [(reverse("voting:detail", args=[vote.pk]), 302)]
    assert "Đã ghi nhận phiếu biểu quyết." in plain.content.decode()
    assert Participation.objects.filter(vote=vote).count() == 2
