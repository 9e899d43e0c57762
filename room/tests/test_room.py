"""The room (B6, B10): asking to speak, the secretary's queue, turns, the timer, the screen."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from attendance.models import Presence
from meetings.models import MeetingChange
from notifications.models import OutboxMessage
from notifications.services import dispatch
from room import services
from room.models import RoomState, Speech

pytestmark = pytest.mark.django_db


def _ask(client, meeting, item):
    return client.post(reverse("room:speak", args=[meeting.pk]), {"item": item.pk})


def _waiting(meeting):
    return list(
        Speech.objects.filter(meeting=meeting, status=Speech.Status.WAITING)
        .order_by("position", "id")
        .values_list("speaker_name", flat=True)
    )


# ---- asking to speak ------------------------------------------------------------------------


def test_a_present_unit_leader_asks_to_speak_once_however_often_they_tap(
    client_for, room_meeting, items, role_users
):
    client = client_for("unit_leader")
    page = client.get(reverse("room:speak", args=[room_meeting.pk]))
    assert "Đăng ký phát biểu" in page.content.decode()
    assert _ask(client, room_meeting, items[0]).status_code == 302
    assert _ask(client, room_meeting, items[0]).status_code == 302
    speech = Speech.objects.get(meeting=room_meeting)
    assert speech.user == role_users["unit_leader"]
    assert speech.item == items[0]
    assert speech.speaker_for == "Sở Tài chính"
    assert speech.status == Speech.Status.WAITING


def test_a_named_attendee_asks_under_their_own_name(client_for, room_meeting, items):
    _ask(client_for("member"), room_meeting, items[1])
    speech = Speech.objects.get(meeting=room_meeting)
    assert speech.speaker_name == "Trần Thị Phát Biểu"
    assert speech.item == items[1]


def test_withdrawing_while_waiting(client_for, room_meeting, items):
    client = client_for("member")
    _ask(client, room_meeting, items[0])
    speech = Speech.objects.get()
    response = client.post(reverse("room:withdraw", args=[room_meeting.pk, speech.pk]))
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.status == Speech.Status.WITHDRAWN
    # Asking again after withdrawing is a new request.
    _ask(client, room_meeting, items[0])
    assert _waiting(room_meeting) == ["Trần Thị Phát Biểu"]


def test_nobody_withdraws_someone_elses_request(client_for, room_meeting, items):
    _ask(client_for("member"), room_meeting, items[0])
    speech = Speech.objects.get()
    response = client_for("unit_leader").post(
        reverse("room:withdraw", args=[room_meeting.pk, speech.pk])
    )
    assert response.status_code == 404
    speech.refresh_from_db()
    assert speech.status == Speech.Status.WAITING


def test_a_turn_given_cannot_be_withdrawn(client_for, room_meeting, items, role_users):
    client = client_for("member")
    _ask(client, room_meeting, items[0])
    speech = Speech.objects.get()
    services.floor_give(speech=speech, by=role_users["secretary"])
    response = client.post(reverse("room:withdraw", args=[room_meeting.pk, speech.pk]), follow=True)
    assert "Không rút được" in response.content.decode()
    speech.refresh_from_db()
    assert speech.status == Speech.Status.SPEAKING


def test_an_invitee_not_marked_present_is_refused(client_for, room_meeting, items):
    Presence.objects.filter(invitation__meeting=room_meeting).update(status="absent", reason="Ốm")
    client = client_for("unit_leader")
    page = client.get(reverse("room:speak", args=[room_meeting.pk]))
    assert "điểm danh có mặt" in page.content.decode()
    assert _ask(client, room_meeting, items[0]).status_code == 403
    assert not Speech.objects.exists()


def test_online_presence_counts(client_for, room_meeting, items):
    Presence.objects.filter(invitation__meeting=room_meeting).update(status="online")
    assert _ask(client_for("unit_clerk"), room_meeting, items[0]).status_code == 302
    assert Speech.objects.count() == 1


def test_an_invited_account_that_is_not_an_attendee_is_refused(client_for, room_meeting, items):
    # The secretary sees the meeting but answers for no invitation.
    assert _ask(client_for("secretary"), room_meeting, items[0]).status_code == 403
    assert not Speech.objects.exists()


def test_an_uninvited_account_gets_a_404(client_for, room_meeting, items):
    assert _ask(client_for("outsider"), room_meeting, items[0]).status_code == 404
    assert not Speech.objects.exists()


def test_an_item_of_another_meeting_is_refused(client_for, room_meeting, meetings):
    from meetings.models import AgendaItem

    foreign = AgendaItem.objects.create(meeting=meetings["draft"], position=1, title="Khác")
    response = _ask(client_for("unit_leader"), room_meeting, foreign)
    assert response.status_code == 400
    assert "Hãy chọn nội dung" in response.content.decode()
    assert not Speech.objects.exists()


def test_script_in_a_name_is_shown_as_text(client_for, room_meeting, items, role_users):
    leader = role_users["unit_leader"]
    leader.full_name = "<script>alert(1)</script>"
    leader.save()
    _ask(client_for("unit_leader"), room_meeting, items[0])
    services.item_start(meeting=room_meeting, item=items[0], by=role_users["secretary"])
    body = client_for("secretary").get(reverse("room:control", args=[room_meeting.pk]))
    assert "<script>alert(1)</script>" not in body.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body.content.decode()


# ---- the secretary ----------------------------------------------------------------------------


def test_the_secretary_starts_an_item_and_the_history_says_so(
    client_for, room_meeting, items, role_users
):
    client = client_for("secretary")
    url = reverse("room:start_item", args=[room_meeting.pk, items[1].pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Kế hoạch năm sau" in response.content.decode()
    client.post(url)  # twice is once
    assert RoomState.objects.get(meeting=room_meeting).current_item == items[1]
    started = MeetingChange.objects.filter(
        meeting=room_meeting, kind=MeetingChange.Kind.ITEM_STARTED
    )
    assert started.count() == 1
    assert started.get().by == role_users["secretary"]


def test_a_member_may_not_run_the_meeting(client_for, room_meeting, items):
    url = reverse("room:start_item", args=[room_meeting.pk, items[1].pk])
    assert client_for("member").post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404
    assert not RoomState.objects.exists()


def test_reorder_give_floor_and_close(client_for, room_meeting, items, role_users):
    services.item_start(meeting=room_meeting, item=items[0], by=role_users["secretary"])
    _ask(client_for("unit_leader"), room_meeting, items[0])
    _ask(client_for("member"), room_meeting, items[0])
    leader, member = Speech.objects.order_by("position")
    secretary = client_for("secretary")
    move = reverse("room:move", args=[room_meeting.pk, member.pk])
    secretary.post(move, {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert _waiting(room_meeting) == [member.speaker_name, leader.speaker_name]
    secretary.post(move, {"direction": "up"})  # first already: nothing moves
    assert _waiting(room_meeting) == [member.speaker_name, leader.speaker_name]
    secretary.post(move, {"direction": "down"})
    assert _waiting(room_meeting) == [leader.speaker_name, member.speaker_name]

    secretary.post(reverse("room:give_floor", args=[room_meeting.pk, leader.pk]))
    leader.refresh_from_db()
    assert leader.status == Speech.Status.SPEAKING
    assert leader.allotted_seconds == 3 * 60
    # Giving the floor to the next ends the current turn.
    secretary.post(reverse("room:give_floor", args=[room_meeting.pk, member.pk]))
    leader.refresh_from_db()
    member.refresh_from_db()
    assert leader.status == Speech.Status.DONE and leader.ended_at is not None
    assert member.status == Speech.Status.SPEAKING
    assert Speech.objects.filter(status=Speech.Status.SPEAKING).count() == 1
    secretary.post(reverse("room:add_minute", args=[room_meeting.pk]))
    member.refresh_from_db()
    assert member.allotted_seconds == 4 * 60
    secretary.post(reverse("room:close_turn", args=[room_meeting.pk]))
    secretary.post(reverse("room:close_turn", args=[room_meeting.pk]))  # a second tap
    member.refresh_from_db()
    assert member.status == Speech.Status.DONE
    spoke = MeetingChange.objects.filter(meeting=room_meeting, kind=MeetingChange.Kind.SPOKE)
    assert spoke.count() == 2
    assert {c.details["speaker"] for c in spoke} == {leader.label, member.label}
    assert all(c.details["item"] == items[0].pk for c in spoke)
    # The room's history is no news for anybody's inbox.
    before = OutboxMessage.objects.count()
    dispatch(room_meeting)
    assert OutboxMessage.objects.count() == before
    # And it is audited.
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(member).count() >= 3


def test_giving_the_floor_to_a_withdrawn_request_is_refused(
    client_for, room_meeting, items, role_users
):
    _ask(client_for("member"), room_meeting, items[0])
    speech = Speech.objects.get()
    services.floor_withdraw(speech=speech, by=role_users["member"])
    response = client_for("secretary").post(
        reverse("room:give_floor", args=[room_meeting.pk, speech.pk]), HTTP_HX_REQUEST="true"
    )
    assert "không còn ở danh sách chờ" in response.content.decode()
    speech.refresh_from_db()
    assert speech.status == Speech.Status.WITHDRAWN


def test_minutes_per_speaker_are_checked(client_for, room_meeting, role_users):
    client = client_for("secretary")
    url = reverse("room:set_minutes", args=[room_meeting.pk])
    for bad in ["0", "61", "abc", "", "99999999999999"]:
        response = client.post(url, {"minutes": bad}, HTTP_HX_REQUEST="true")
        assert "phút" in response.content.decode()
    assert not RoomState.objects.filter(meeting=room_meeting).exclude(minutes_per_speaker=3)
    client.post(url, {"minutes": "5"})
    assert RoomState.objects.get(meeting=room_meeting).minutes_per_speaker == 5


def test_the_timer_from_the_server(room_meeting, items, role_users):
    speech = services.floor_request(
        meeting=room_meeting, item=items[0], by=role_users["member"], invitation=None, name="A"
    )
    services.floor_give(speech=speech, by=role_users["secretary"])
    speech.refresh_from_db()
    start = speech.started_at
    assert speech.elapsed_seconds(start + timedelta(seconds=100)) == 100
    assert speech.remaining_seconds(start + timedelta(seconds=100)) == 80
    assert speech.overtime_seconds(start + timedelta(seconds=100)) == 0
    assert speech.remaining_seconds(start + timedelta(seconds=200)) == -20
    assert speech.overtime_seconds(start + timedelta(seconds=200)) == 20
    # Long over time: the control page shows it in red from the server's figures.
    Speech.objects.filter(pk=speech.pk).update(started_at=timezone.now() - timedelta(minutes=10))
    services.item_start(meeting=room_meeting, item=items[0], by=role_users["secretary"])
    from django.test import Client

    client = Client()
    client.force_login(role_users["secretary"])
    body = client.get(reverse("room:control_panel", args=[room_meeting.pk])).content.decode()
    assert "room-timer is-over" in body
    assert f'data-allotted="{3 * 60}"' in body


def test_services_refuse_what_the_pages_cannot_send(room_meeting, items, meetings, role_users):
    from meetings.models import AgendaItem

    foreign = AgendaItem.objects.create(meeting=meetings["draft"], position=1, title="Khác")
    with pytest.raises(ValidationError):
        services.item_start(meeting=room_meeting, item=foreign, by=role_users["secretary"])
    with pytest.raises(ValidationError):
        services.turn_extend(meeting=room_meeting, by=role_users["secretary"])


# ---- the room's screen ------------------------------------------------------------------------


def test_the_screen_answers_304_until_something_changes(
    client_for, room_meeting, items, role_users
):
    services.item_start(meeting=room_meeting, item=items[0], by=role_users["secretary"])
    client = client_for("secretary")
    url = reverse("room:screen_fragment", args=[room_meeting.pk])
    first = client.get(url)
    assert first.status_code == 200
    assert "Báo cáo tình hình quý III" in first.content.decode()
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    services.floor_request(
        meeting=room_meeting,
        item=items[0],
        by=role_users["member"],
        invitation=None,
        name="Trần Thị Phát Biểu",
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Trần Thị Phát Biểu" in changed.content.decode()
    etag = changed["ETag"]
    services.floor_give(speech=Speech.objects.get(), by=role_users["secretary"])
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "data-room-timer" in changed.content.decode()
    etag = changed["ETag"]
    services.item_start(meeting=room_meeting, item=items[1], by=role_users["secretary"])
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert "Kế hoạch năm sau" in changed.content.decode()


def test_the_screen_page_has_no_navigation(client_for, room_meeting):
    body = client_for("member").get(reverse("room:screen", args=[room_meeting.pk]))
    assert body.status_code == 200
    html = body.content.decode()
    assert "navbar" not in html
    assert room_meeting.title in html


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_queue(client_for, room_meeting, items, role_users):
    from django.core.cache import cache

    from accounts.sessions import seen_mark

    services.item_start(meeting=room_meeting, item=items[0], by=role_users["secretary"])
    client = client_for("secretary")
    cache.set(seen_mark(client.session.session_key), True, 600)
    urls = [
        reverse("room:screen_fragment", args=[room_meeting.pk]),
        reverse("room:control_panel", args=[room_meeting.pk]),
        reverse("room:control", args=[room_meeting.pk]),
        reverse("room:screen", args=[room_meeting.pk]),
    ]

    def grow(n):
        for _ in range(n):
            user = UserFactory()
            for item in items:
                services.floor_request(
                    meeting=room_meeting, item=item, by=user, invitation=None, name=str(user)
                )
        done = Speech.objects.filter(status=Speech.Status.WAITING).first()
        services.floor_give(speech=done, by=role_users["secretary"])

    grow(2)
    for url in urls:  # the steady state: the menu's to-do count is then kept (portal.menu_count)
        client.get(url)
    small = [_count(client, url) for url in urls]
    grow(15)
    for url in urls:  # the steady state again: growing may outlast the to-do count's 30 s
        client.get(url)
    large = [_count(client, url) for url in urls]
    assert small == large


def test_the_screen_shows_an_open_vote_and_changes_with_it(client_for, room_meeting, role_users):
    from voting import services as voting

    client = client_for("secretary")
    url = reverse("room:screen_fragment", args=[room_meeting.pk])
    before = client.get(url)
    assert "Thông qua kế hoạch" not in before.content.decode()
    voting.vote_open(meeting=room_meeting, by=role_users["clerk"], question="Thông qua kế hoạch")
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Thông qua kế hoạch" in after.content.decode()
    assert client.get(url, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


def test_a_units_own_account_is_named_once(room_meeting, items, role_users):
    speech = services.floor_request(
        meeting=room_meeting,
        item=items[0],
        by=role_users["unit_clerk"],
        invitation=None,
        name="Sở Tài chính",
        speaks_for="Sở Tài chính",
    )
    assert speech.label == "Sở Tài chính"
