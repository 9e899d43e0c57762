"""QR self check-in at the door (B5), through the real pages: the code, its window, who may
check in, and what the roll keeps."""

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PersonFactory
from attendance.check_in import SALT, make_token
from attendance.models import Attendee, Presence, Reply
from meetings.models import Invitation, Meeting


@pytest.fixture
def meeting(meetings):
    """The published meeting, starting in ten minutes: inside the check-in window."""
    meeting = meetings["published"]
    start = timezone.now() + timedelta(minutes=10)
    Meeting.objects.filter(pk=meeting.pk).update(start_at=start, end_at=start + timedelta(hours=2))
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def invitation(meeting):
    return meeting.invitations.get()


def _url(meeting, token=None, invitation=None):
    return reverse(
        "attendance:check_in", args=[meeting.pk, token or make_token(meeting, invitation)]
    )


def test_an_invitee_scans_and_confirms(client_for, role_users, meeting, invitation):
    client = client_for("unit_leader")
    url = _url(meeting)
    page = client.get(url)
    assert page.status_code == 200 and "Xác nhận có mặt" in page.content.decode()
    assert not Presence.objects.exists(), "GET changes nothing"
    done = client.post(url, {"invitation": invitation.pk}, follow=True)
    presence = Presence.objects.get(invitation=invitation)
    assert (presence.status, presence.marked_by) == ("present", role_users["unit_leader"])
    at = timezone.localtime(presence.marked_at).strftime("%H:%M")
    assert f"Đã điểm danh có mặt lúc {at}" in done.content.decode()
    entry = LogEntry.objects.get_for_object(presence).get()
    assert entry.actor == role_users["unit_leader"]
    roll = client_for("secretary").get(reverse("attendance:rollcall", args=[meeting.pk]))
    assert roll.context["figures"].present == 1


def test_a_repeat_scan_and_a_double_submit_change_nothing(client_for, meeting, invitation):
    client = client_for("unit_clerk")
    url = _url(meeting)
    client.post(url, {"invitation": invitation.pk})
    first = Presence.objects.get()
    again = client.post(url, {"invitation": invitation.pk}, follow=True)
    at = timezone.localtime(first.marked_at).strftime("%H:%M")
    assert f"Đã điểm danh lúc {at}" in again.content.decode()
    assert Presence.objects.get().marked_at == first.marked_at
    assert Presence.objects.count() == 1
    assert LogEntry.objects.get_for_object(first).count() == 1


def test_a_scan_overrides_an_absence_and_says_so(client_for, role_users, meeting, invitation):
    Presence.objects.create(
        invitation=invitation, status="absent", reason="Ốm", marked_by=role_users["secretary"]
    )
    client = client_for("unit_leader")
    page = client.get(_url(meeting)).content.decode()
    assert "Thư ký đã ghi vắng mặt" in page
    done = client.post(_url(meeting), {"invitation": invitation.pk}, follow=True)
    assert "thay cho đánh dấu vắng mặt" in done.content.decode()
    presence = Presence.objects.get()
    assert (presence.status, presence.reason) == ("present", "")
    assert presence.marked_by == role_users["unit_leader"]


def test_online_or_substitute_stays_as_marked(client_for, role_users, meeting, invitation):
    Presence.objects.create(
        invitation=invitation, status="online", marked_by=role_users["secretary"]
    )
    client_for("unit_leader").post(_url(meeting), {"invitation": invitation.pk})
    assert Presence.objects.get().status == "online"


def test_a_forged_token_is_refused(client_for, meeting, invitation):
    token = make_token(meeting)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (forged, "abc", signing.dumps({"m": meeting.pk, "e": 9999999999}, salt="other")):
        response = client_for("unit_leader").post(_url(meeting, bad), {"invitation": invitation.pk})
        assert response.status_code == 400
        assert "Mã QR không hợp lệ" in response.content.decode()
    assert not Presence.objects.exists()


def test_an_expired_token_is_refused(client_for, meeting, invitation):
    old = signing.dumps(
        {"m": meeting.pk, "e": int((timezone.now() - timedelta(minutes=1)).timestamp())},
        salt=SALT,
        compress=True,
    )
    response = client_for("unit_leader").post(_url(meeting, old), {"invitation": invitation.pk})
    assert response.status_code == 410 and "hết hạn" in response.content.decode()
    assert not Presence.objects.exists()


def test_a_token_of_another_meeting_is_refused(client_for, meetings, meeting, invitation):
    other = make_token(meetings["draft"])
    response = client_for("unit_leader").post(_url(meeting, other), {"invitation": invitation.pk})
    assert response.status_code == 400 and "cuộc họp khác" in response.content.decode()
    assert not Presence.objects.exists()


def test_outside_the_window(client_for, meeting, invitation):
    leader = client_for("unit_leader")
    start = timezone.now() + timedelta(hours=2)
    Meeting.objects.filter(pk=meeting.pk).update(start_at=start, end_at=start + timedelta(hours=1))
    early = leader.post(_url(meeting), {"invitation": invitation.pk})
    assert early.status_code == 403 and "Chưa đến giờ điểm danh" in early.content.decode()
    # A code printed before the meeting was brought forward, after the new end.
    token = make_token(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=timezone.now() - timedelta(hours=3), end_at=timezone.now() - timedelta(hours=1)
    )
    late = leader.post(_url(meeting, token), {"invitation": invitation.pk})
    assert late.status_code == 403 and "đã kết thúc" in late.content.decode()
    assert not Presence.objects.exists()


def test_a_cancelled_meeting_is_refused(client_for, meeting, invitation):
    token = make_token(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    response = client_for("unit_leader").post(_url(meeting, token), {"invitation": invitation.pk})
    assert response.status_code == 403 and "huỷ" in response.content.decode()
    assert not Presence.objects.exists()


def test_a_draft_is_not_checked_in(client_for, meetings):
    draft = meetings["draft"]
    assert client_for("unit_leader").get(_url(draft)).status_code == 404
    response = client_for("clerk").get(_url(draft))
    assert response.status_code == 403 and "chưa phát hành" in response.content.decode()


def test_the_uninvited(client_for, meeting, invitation):
    assert (
        client_for("outsider").post(_url(meeting), {"invitation": invitation.pk}).status_code == 404
    )
    assert client_for("admin").get(_url(meeting)).status_code == 404
    # The department's staff see the meeting but neither answer for it nor were named.
    member = client_for("member").post(_url(meeting), {"invitation": invitation.pk})
    assert member.status_code == 403 and "không phải thành phần mời" in member.content.decode()
    assert not Presence.objects.exists()


def test_anonymous_signs_in_first_and_comes_back(client, meeting):
    url = _url(meeting)
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response["Location"]
    assert reverse("accounts:login") in response["Location"]


def test_a_person_named_as_attendee_checks_in(client_for, role_users, meeting, invitation):
    member = role_users["member"]
    person = member.person or PersonFactory(unit=member.unit, full_name="Lê Thị Hoa")
    member.person = person
    member.save()
    reply = Reply.objects.create(invitation=invitation, by=role_users["unit_clerk"])
    Attendee.objects.create(reply=reply, person=person, full_name=person.full_name)
    other = Attendee.objects.create(reply=reply, full_name="Người Khác")
    client_for("member").post(_url(meeting), {"invitation": invitation.pk})
    presence = Presence.objects.get()
    # The person's own line of the roll, not the other attendee's nor the whole unit's.
    assert (presence.marked_by, presence.attendee.person) == (member, person)
    roll = client_for("secretary").get(reverse("attendance:rollcall", args=[meeting.pk]))
    assert (roll.context["figures"].present, roll.context["figures"].unmarked) == (1, 1)
    assert not Presence.objects.filter(attendee=other).exists()


def test_the_invitation_code_is_its_invitation_only(client_for, role_users, meeting, invitation):
    person = PersonFactory(unit=role_users["clerk"].unit, full_name="Nguyễn Văn Mời")
    personal = Invitation.objects.create(meeting=meeting, person=person)
    leader = client_for("unit_leader")
    foreign = leader.post(_url(meeting, invitation=personal), {"invitation": personal.pk})
    assert foreign.status_code == 403 and "giấy mời của thành phần khác" in foreign.content.decode()
    # A forged invitation id in the form of a valid code for the leader's own invitation.
    wrong = leader.post(_url(meeting, invitation=invitation), {"invitation": personal.pk})
    assert wrong.status_code == 400
    assert not Presence.objects.exists()
    leader.post(_url(meeting, invitation=invitation), {"invitation": invitation.pk})
    assert Presence.objects.get().invitation == invitation


def test_wrong_method(client_for, meeting):
    assert client_for("unit_leader").put(_url(meeting)).status_code == 405


def test_the_door_code_for_whoever_takes_the_roll(client_for, meeting):
    page = client_for("secretary").get(reverse("attendance:check_in_code", args=[meeting.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    assert re.search(r"quet-diem-danh/[^/]+/", page.context["url"])
    scanned = client_for("unit_leader").get(page.context["url"])
    assert scanned.status_code == 200 and "Xác nhận có mặt" in scanned.content.decode()
    roll = client_for("secretary").get(reverse("attendance:rollcall", args=[meeting.pk]))
    assert "<svg" in roll.content.decode()
    detail = client_for("clerk").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("attendance:check_in_code", args=[meeting.pk]) in detail
    leader = client_for("unit_leader")
    assert leader.get(reverse("attendance:check_in_code", args=[meeting.pk])).status_code == 403
    detail = leader.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("attendance:check_in_code", args=[meeting.pk]) not in detail


def test_the_printed_invitation_carries_one_code_per_invitation(client_for, role_users, meeting):
    Invitation.objects.create(meeting=meeting, person=PersonFactory(unit=role_users["clerk"].unit))
    printed = client_for("clerk").get(reverse("meetings:print_invitation", args=[meeting.pk]))
    assert printed.content.decode().count("<svg") == 2
    by_invitee = client_for("unit_leader").get(
        reverse("meetings:print_invitation", args=[meeting.pk])
    )
    assert "<svg" not in by_invitee.content.decode()
