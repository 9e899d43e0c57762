"""The secretary takes the roll on a tablet (1024x768), one row per named person: present saves
on a tap; absent opens the reason and saves once it is typed; a substitute's name and position
likewise, for a unit that named nobody."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit, User
from attendance.models import Attendee, Presence
from attendance.services import NamedAttendee, reply_set
from browser_tests.conftest import TABLET, shot, sign_in, visit
from meetings import services
from meetings.models import Meeting
from meetings.tests.factories import catalog

pytestmark = pytest.mark.browser


def _meeting() -> Meeting:
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(days=4)
    meeting = services.meeting_create(
        by=clerk,
        data={
            "title": "Họp triển khai kế hoạch chuyển đổi số",
            "start_at": start,
            "end_at": start + timedelta(hours=2),
            "organiser_unit": clerk.unit,
            "secretary": User.objects.get(username="thuky"),
            "location": clerk.unit.locations.first(),
            **catalog(),
        },
        invitees=services.Invitees(
            units=[Unit.objects.get(code="STC"), Unit.objects.get(code="SKHDT")]
        ),
    )
    return services.meeting_publish(meeting=meeting, by=clerk)


def test_the_roll_per_person_on_a_tablet(live_server, demo, new_context) -> None:
    meeting = _meeting()
    stc, skhdt = meeting.invitations.order_by("id")
    reply_set(
        invitation=stc,
        by=User.objects.get(username="stc"),
        declined=False,
        attendees=[
            NamedAttendee("Trần Văn Minh", "Giám đốc Sở Tài chính"),
            NamedAttendee("Lê Thị Hoa", "Trưởng phòng Ngân sách"),
        ],
    )
    director = Attendee.objects.get(reply__invitation=stc, full_name="Trần Văn Minh")
    head = Attendee.objects.get(reply__invitation=stc, full_name="Lê Thị Hoa")

    page = new_context(**TABLET).new_page()
    sign_in(page, live_server, "thuky")
    page.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/diem-danh/")
    expect(page.locator(f"#invitee-{stc.pk}")).to_contain_text("Sở Tài chính")
    # Screenshots only while rows are swapped in place: the accessibility check leaves empty style
    # attributes that the swap would copy; the full check runs on the reloaded page at the end.
    shot(page, "attendance-roll-tablet")

    # Present: one tap, saved at once.
    row = page.locator(f"#roll-{stc.pk}-{director.pk}")
    row.get_by_text("Có mặt", exact=True).click()
    expect(page.locator(f"#roll-{stc.pk}-{director.pk}")).to_contain_text("Đã lưu")

    # Absent: the tap opens the reason; nothing is saved (nor refused) until it is typed.
    row = page.locator(f"#roll-{stc.pk}-{head.pk}")
    reason = row.locator("input[name=reason]")
    expect(reason).to_be_hidden()
    row.get_by_text("Vắng mặt", exact=True).click()
    expect(reason).to_be_visible()
    expect(reason).to_be_focused()
    assert not Presence.objects.filter(attendee=head).exists()
    shot(page, "attendance-roll-tablet-asks-reason")
    reason.fill("Đi công tác Hà Nội")
    reason.press("Enter")
    expect(page.locator(f"#roll-{stc.pk}-{head.pk}")).to_contain_text("Đã lưu")

    # Substitute, for the unit that named nobody: the name and the position, then saved.
    row = page.locator(f"#roll-{skhdt.pk}")
    row.get_by_text("Dự thay", exact=True).click()
    row.locator("input[name=substitute_name]").fill("Phạm Quốc Huy")
    row.locator("input[name=substitute_position]").fill("Phó Giám đốc")
    row.locator("input[name=substitute_position]").blur()
    expect(page.locator(f"#roll-{skhdt.pk}")).to_contain_text("Đã lưu")

    marks = {
        (p.invitation_id, p.attendee_id): (p.status, p.reason, p.substitute_name)
        for p in Presence.objects.filter(invitation__meeting=meeting)
    }
    assert marks == {
        (stc.pk, director.pk): ("present", "", ""),
        (stc.pk, head.pk): ("absent", "Đi công tác Hà Nội", ""),
        (skhdt.pk, None): ("substitute", "", "Phạm Quốc Huy"),
    }
    page.reload()
    expect(page.locator("#roll-figures")).to_contain_text("có mặt trực tiếp 1")
    expect(page.locator("#roll-figures")).to_contain_text("dự thay 1")
    expect(page.locator("#roll-figures")).to_contain_text("vắng 1")
    expect(page.locator(f"#s-{stc.pk}-{head.pk}-absent")).to_be_checked()
    visit(page, "attendance-roll-tablet-done")
