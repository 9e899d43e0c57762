"""Named attendees (T1), the roll (T2) and the figures (T3) through the real pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PersonFactory, UnitFactory
from attendance.models import Attendee, Presence, Reply
from meetings.models import Invitation, Meeting, Receipt

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def meeting(meetings):
    return meetings["published"]


@pytest.fixture
def invitation(meeting):
    return meeting.invitations.get()


def _reply(client, meeting, invitation, **data):
    return client.post(
        reverse("attendance:reply", args=[meeting.pk]), {"invitation": invitation.pk, **data}
    )


def test_unit_names_personnel_and_a_typed_name(client_for, meeting, invitation, department):
    director = PersonFactory(unit=department, full_name="Trần Văn Minh", position="Giám đốc")
    response = _reply(
        client_for("unit_clerk"),
        meeting,
        invitation,
        persons=[director.pk],
        name_1="Lê Thị Hoa",
        position_1="Chuyên viên",
        phone_1="0912 345 678",
    )
    assert response.status_code == 302
    reply = Reply.objects.get(invitation=invitation)
    assert not reply.declined
    assert sorted(a.full_name for a in reply.attendees.all()) == ["Lê Thị Hoa", "Trần Văn Minh"]
    assert Receipt.objects.get(meeting=meeting, user__username="unitclerk1").attendees_named_at
    receipts = client_for("clerk").get(reverse("meetings:receipts", args=[meeting.pk]))
    assert "Đã cử" in receipts.content.decode()


def test_changing_the_reply_replaces_the_attendees(client_for, meeting, invitation):
    client = client_for("unit_leader")
    _reply(client, meeting, invitation, name_1="Người A")
    _reply(client, meeting, invitation, name_1="Người B")
    assert list(Attendee.objects.values_list("full_name", flat=True)) == ["Người B"]
    assert Reply.objects.count() == 1


def test_decline_needs_a_reason(client_for, meeting, invitation):
    client = client_for("unit_leader")
    refused = _reply(client, meeting, invitation, declined="on", reason="  ")
    assert refused.status_code == 400
    assert "lý do" in refused.content.decode()
    assert not Reply.objects.exists()
    _reply(client, meeting, invitation, declined="on", reason="Trùng lịch công tác")
    assert Reply.objects.get().decline_reason == "Trùng lịch công tác"


def test_an_empty_reply_is_refused(client_for, meeting, invitation):
    response = _reply(client_for("unit_clerk"), meeting, invitation)
    assert response.status_code == 400
    assert "ít nhất một người" in response.content.decode()


def test_replies_lock_when_the_meeting_starts(client_for, meeting, invitation):
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=timezone.now() - timedelta(minutes=5), end_at=timezone.now() + timedelta(hours=1)
    )
    response = _reply(client_for("unit_clerk"), meeting, invitation, name_1="Muộn")
    assert response.status_code == 400
    assert not Reply.objects.exists()


def test_a_member_cannot_reply_for_the_unit(client_for, meeting, invitation):
    response = _reply(client_for("member"), meeting, invitation, name_1="Tự cử")
    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_script_in_names_stays_text(client_for, meeting, invitation):
    _reply(client_for("unit_clerk"), meeting, invitation, name_1=SCRIPT, position_1=SCRIPT)
    for url in [
        reverse("attendance:rollcall", args=[meeting.pk]),
        reverse("attendance:figures", args=[meeting.pk]),
    ]:
        page = client_for("secretary").get(url).content.decode()
        assert SCRIPT not in page and "&lt;script&gt;" in page


def _mark(client, meeting, invitation, htmx=True, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("attendance:mark", args=[meeting.pk, invitation.pk]), data, headers=headers
    )


def test_secretary_marks_present_absent_and_substitute(client_for, meeting, invitation):
    client = client_for("secretary")
    ok = _mark(client, meeting, invitation, status="present")
    assert ok.status_code == 200 and "Đã lưu" in ok.content.decode()
    assert Presence.objects.get(invitation=invitation).status == "present"
    # Absent without a reason, a substitute without a name: the row asks, nothing is saved.
    asked = _mark(client, meeting, invitation, status="absent", reason="")
    assert "Nhập lý do vắng mặt để lưu" in asked.content.decode()
    assert Presence.objects.get(invitation=invitation).status == "present"
    no_name = _mark(client, meeting, invitation, status="substitute", substitute_position="PGĐ")
    assert "Nhập họ tên và chức vụ người dự thay" in no_name.content.decode()
    _mark(
        client,
        meeting,
        invitation,
        status="substitute",
        substitute_name="Phạm Văn Thay",
        substitute_position="Phó Giám đốc",
        reason="Giám đốc đi công tác",
    )
    presence = Presence.objects.get(invitation=invitation)
    assert (presence.status, presence.substitute_name) == ("substitute", "Phạm Văn Thay")
    assert Presence.objects.count() == 1


def test_a_double_tap_is_one_mark(client_for, meeting, invitation):
    client = client_for("secretary")
    _mark(client, meeting, invitation, status="present")
    _mark(client, meeting, invitation, status="present")
    assert Presence.objects.filter(invitation=invitation).count() == 1


def test_marks_without_javascript_redirect_back(client_for, meeting, invitation):
    response = _mark(client_for("secretary"), meeting, invitation, htmx=False, status="present")
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:rollcall", args=[meeting.pk])


def test_an_invitee_of_another_meeting_cannot_be_marked(client_for, meetings, meeting):
    other = meetings["draft"].invitations.get()
    response = _mark(client_for("secretary"), meeting, other, status="present")
    assert response.status_code == 404
    assert not Presence.objects.exists()


def test_only_the_secretary_and_organiser_take_the_roll(client_for, meeting, invitation):
    assert (
        _mark(client_for("unit_leader"), meeting, invitation, status="present").status_code == 403
    )
    assert _mark(client_for("outsider"), meeting, invitation, status="present").status_code == 404
    assert not Presence.objects.exists()


def test_the_roll_closes_a_day_after_the_end(client_for, meeting, invitation):
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=timezone.now() - timedelta(days=3), end_at=timezone.now() - timedelta(days=2)
    )
    response = _mark(client_for("secretary"), meeting, invitation, status="present")
    assert response.status_code == 400
    assert not Presence.objects.exists()


def test_figures_per_meeting_and_per_unit(client_for, meeting, invitation, department):
    _mark(client_for("secretary"), meeting, invitation, status="absent", reason="Ốm")
    page = client_for("clerk").get(reverse("attendance:figures", args=[meeting.pk]))
    figures = page.context["figures"]
    assert (figures.invited, figures.absent, figures.present) == (1, 1, 0)
    day = timezone.localtime(meeting.start_at).date()
    by_unit = client_for("clerk").get(
        reverse("attendance:unit_figures"),
        {"tu": day.strftime("%d/%m/%Y"), "den": day.strftime("%d/%m/%Y")},
    )
    (row,) = by_unit.context["rows"]
    assert row.name == department.name and row.figures.absent == 1


@pytest.mark.parametrize("page", ["rollcall", "figures"])
def test_roll_pages_do_not_grow_with_invitees(client_for, role_users, meeting, page):
    client = client_for("secretary")
    url = reverse(f"attendance:{page}", args=[meeting.pk])

    def grow(n: int) -> None:
        for _ in range(n):
            unit = UnitFactory()
            invitation = Invitation.objects.create(meeting=meeting, unit=unit)
            reply = Reply.objects.create(invitation=invitation, by=role_users["clerk"])
            Attendee.objects.create(reply=reply, full_name="Người dự")
            Presence.objects.create(
                invitation=invitation, status="present", marked_by=role_users["secretary"]
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(4)
    client.get(url)  # the steady state: the menu's to-do count is then kept (portal.menu_count)
    few = count()
    grow(195)
    client.get(url)  # the steady state again: growing may outlast the to-do count's 30 s
    many = count()
    print(f"attendance {page}: {few} queries with 5 invitees, {many} with 200")
    assert few == many


def test_the_chair_reads_the_pre_meeting_report(client_for, role_users, meeting, invitation):
    import io

    import pypdf

    from meetings.models import Meeting as M

    chair_person = role_users["member"].person
    if chair_person is None:
        chair_person = PersonFactory(unit=role_users["member"].unit, full_name="Nguyễn Chủ Trì")
        role_users["member"].person = chair_person
        role_users["member"].save()
    M.objects.filter(pk=meeting.pk).update(chair=chair_person)
    _reply(client_for("unit_clerk"), meeting, invitation, name_1="Lê Thị Hoa", position_1="PGĐ")
    _mark(client_for("secretary"), meeting, invitation, status="present")
    page = client_for("member").get(reverse("attendance:chair_report", args=[meeting.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Lê Thị Hoa, PGĐ" in html and "Có mặt" in html
    pdf = client_for("member").get(
        reverse("attendance:chair_report", args=[meeting.pk]), {"format": "pdf"}
    )
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Lê Thị Hoa" in text and "BÁO CÁO CHO CHỦ TRÌ" in text
    assert (
        client_for("unit_leader")
        .get(reverse("attendance:chair_report", args=[meeting.pk]))
        .status_code
        == 403
    )


def test_a_unit_cannot_reply_for_another_invitation(client_for, meetings, meeting):
    foreign = meetings["draft"].invitations.get()
    response = _reply(client_for("unit_clerk"), meeting, foreign, name_1="Người lạ")
    assert response.status_code == 404
    assert not Reply.objects.exists()
