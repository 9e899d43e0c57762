"""Around the table, on phones: a unit names two attendees, the secretary takes the roll, a
participant's comment reaches the secretary's open page within 3 seconds, and after the end the
server refuses new comments."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit, User
from attendance.models import Attendee, Presence
from browser_tests.conftest import PHONE, sign_in, visit
from comments.models import Comment
from meetings import services
from meetings.models import Meeting
from meetings.tests.factories import make_meeting

pytestmark = pytest.mark.browser

COMMENT = "Đề nghị bổ sung số liệu giải ngân vốn đầu tư công quý III."


def _meeting() -> Meeting:
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(days=4)
    meeting = make_meeting(
        by=clerk,
        title="Họp rà soát giải ngân vốn đầu tư công",
        start_at=start,
        end_at=start + timedelta(hours=2),
        secretary=User.objects.get(username="thuky"),
        location=clerk.unit.locations.first(),
        units=[Unit.objects.get(code="STC"), Unit.objects.get(code="SKHDT")],
    )
    return services.meeting_publish(meeting=meeting, by=clerk)


def test_names_roll_and_live_comments(live_server, demo, new_context) -> None:
    meeting = _meeting()
    base = f"{live_server.url}/cuoc-hop/{meeting.pk}"

    # ---- the unit names two attendees from its phone -----------------------------------------
    unit = new_context(**PHONE).new_page()
    sign_in(unit, live_server, "stc")
    unit.goto(base + "/")
    unit.get_by_role("link", name="Cử người dự họp").click()
    unit.wait_for_url("**/cu-nguoi-du/")
    unit.locator("input[name=name_1]").fill("Trần Văn Minh")
    unit.locator("input[name=position_1]").fill("Giám đốc Sở Tài chính")
    unit.locator("input[name=name_2]").fill("Lê Thị Hoa")
    unit.locator("input[name=position_2]").fill("Trưởng phòng Đầu tư")
    visit(unit, "attendance-reply-phone")
    with unit.expect_navigation():
        unit.get_by_role("button", name="Gửi").click()
    named = Attendee.objects.filter(reply__invitation__meeting=meeting)
    assert sorted(named.values_list("full_name", flat=True)) == [
        "Lê Thị Hoa",
        "Trần Văn Minh",
    ]

    # ---- the secretary takes the roll on a phone, row by row ----------------------------------
    secretary = new_context(**PHONE).new_page()
    sign_in(secretary, live_server, "thuky")
    secretary.goto(base + "/diem-danh/")
    stc, skhdt = meeting.invitations.order_by("id")
    minh = named.get(full_name="Trần Văn Minh")
    stc_row = secretary.locator(f"#roll-{stc.pk}-{minh.pk}")
    assert "Trần Văn Minh" in stc_row.inner_text()
    stc_row.get_by_text("Có mặt", exact=True).click()
    expect(secretary.locator(f"#roll-{stc.pk}-{minh.pk}")).to_contain_text("Đã lưu")
    skhdt_row = secretary.locator(f"#roll-{skhdt.pk}")
    skhdt_row.get_by_text("Dự thay", exact=True).click()
    skhdt_row.locator("input[name=substitute_name]").fill("Phạm Quốc Huy")
    skhdt_row.locator("input[name=substitute_position]").fill("Phó Giám đốc")
    skhdt_row.locator("input[name=substitute_position]").blur()
    expect(secretary.locator(f"#roll-{skhdt.pk}")).to_contain_text("Đã lưu")
    visit(secretary, "attendance-rollcall-phone")
    secretary.reload()  # marks survive a reload
    expect(secretary.locator(f"#s-{stc.pk}-{minh.pk}-present")).to_be_checked()
    marks = dict(
        Presence.objects.filter(invitation__meeting=meeting).values_list("attendee_id", "status")
    )
    assert marks == {minh.pk: "present", None: "substitute"}
    assert Presence.objects.get(invitation=skhdt).substitute_name == "Phạm Quốc Huy"

    # ---- a comment appears on the secretary's open page without a reload ----------------------
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=timezone.now() - timedelta(minutes=30), end_at=timezone.now() + timedelta(hours=1)
    )
    secretary.goto(base + "/y-kien/")
    participant = new_context().new_page()
    sign_in(participant, live_server, "skhdt")
    participant.goto(base + "/y-kien/")
    participant.get_by_label("Ý kiến góp ý").fill(COMMENT)
    with participant.expect_navigation():
        participant.get_by_role("button", name="Gửi ý kiến").click()
    sent = time.monotonic()
    expect(secretary.locator(".comment-list")).to_contain_text(COMMENT, timeout=3000)
    latency = time.monotonic() - sent
    print(f"live comment reached the secretary's page in {latency:.2f} s")
    visit(secretary, "comments-live-secretary")
    assert Comment.objects.filter(meeting=meeting).count() == 1

    # ---- after the end, the server refuses, whatever the open page still shows -----------------
    Meeting.objects.filter(pk=meeting.pk).update(end_at=timezone.now() - timedelta(seconds=1))
    participant.get_by_label("Ý kiến góp ý").fill("Ý kiến gửi muộn")
    with participant.expect_navigation():
        participant.get_by_role("button", name="Gửi ý kiến").click()
    assert "không nhận thêm ý kiến" in participant.content()
    assert Comment.objects.filter(meeting=meeting).count() == 1
