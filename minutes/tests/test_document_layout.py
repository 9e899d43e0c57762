"""The minutes' Word and PDF files laid out as Decree 30/2020/NĐ-CP asks: the governing body above
the issuing unit, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and the motto each on one line, the
attendees with their units and the time as offices write it. The Word file is checked as
LibreOffice prints it."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.tests.factories import PersonFactory
from attendance.models import Presence
from core.testing.documents import (
    MOTTO,
    REPUBLIC,
    assert_decree_header,
    keep,
    pdf_lines,
    printed_docx,
    soffice,
)
from meetings.models import Invitation, Meeting
from minutes import services
from minutes.models import Minutes

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WHEN = "từ 08 giờ 00 đến 11 giờ 30, thứ Tư, ngày 09/12/2026"


@pytest.fixture
def approved(held, role_users, other_department, settings) -> Minutes:
    settings.GOVERNING_BODY = "UBND tỉnh Tây Ninh"
    meeting = held["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=datetime(2026, 12, 9, 8, 0, tzinfo=HCM),
        end_at=datetime(2026, 12, 9, 11, 30, tzinfo=HCM),
    )
    person = PersonFactory(
        full_name="Ngô Văn Cá Nhân", position="Chuyên viên", unit=other_department
    )
    invitation = Invitation.objects.create(meeting=meeting, person=person)
    Presence.objects.create(
        invitation=invitation, status="present", marked_by=role_users["secretary"]
    )
    meeting = Meeting.objects.get(pk=meeting.pk)
    minutes = services.minutes_start(meeting=meeting, by=role_users["secretary"])
    version = minutes.versions.get()
    saved = services.minutes_save(
        minutes=minutes,
        by=role_users["secretary"],
        text={**version.text(), "conclusions": "Thống nhất thông qua kế hoạch."},
        based_on=1,
    )
    return services.minutes_approve(
        minutes=minutes, by=held["chair"], version=saved.number, number="12/BB-VP", place="Tây Ninh"
    )


def test_the_draft_writes_the_time_and_the_units(approved) -> None:
    text = approved.approved_version.attendance  # type: ignore[union-attr]
    assert f"Thời gian: {WHEN}." in text
    assert "- Ngô Văn Cá Nhân, Chuyên viên, Sở Kế hoạch và Đầu tư" in text


def test_a_committees_attendees_are_listed_with_their_units(
    held, role_users, department, other_department
) -> None:
    from accounts.tests.factories import CommitteeFactory
    from attendance.models import Attendee, Reply

    meeting = held["meeting"]
    committee = CommitteeFactory(name="Ban Chỉ đạo Chuyển đổi số tỉnh")
    invitation = Invitation.objects.create(meeting=meeting, committee=committee)
    reply = Reply.objects.create(invitation=invitation, by=role_users["clerk"])
    member = PersonFactory(full_name="Hồ Nhật Nam", position="Giám đốc", unit=other_department)
    Attendee.objects.create(
        reply=reply, person=member, full_name=member.full_name, position=member.position
    )
    Attendee.objects.create(reply=reply, full_name="Khách mời", position="Chuyên gia")
    Presence.objects.create(
        invitation=invitation, status="present", marked_by=role_users["secretary"]
    )
    minutes = services.minutes_start(meeting=meeting, by=role_users["secretary"])
    text = minutes.versions.get().attendance
    # The roll is taken per person: one line each, under the committee, with their units.
    assert "- Ban Chỉ đạo Chuyển đổi số tỉnh (Hồ Nhật Nam, Giám đốc, Sở Kế hoạch và Đầu tư)" in text
    assert "- Ban Chỉ đạo Chuyển đổi số tỉnh (Khách mời, Chuyên gia)" in text
    # A unit's own people are not followed by the unit's name again.
    assert "- Sở Tài chính\n" in text or text.rstrip().endswith("- Sở Tài chính")


def test_pdf_header_and_time(approved, client_for) -> None:
    response = client_for("member").get(
        reverse("minutes:export", args=[approved.meeting_id, "pdf"])
    )
    assert response.status_code == 200
    keep("bien-ban.pdf", response.content)
    lines = pdf_lines(response.content)
    assert_decree_header(lines, "UBND TỈNH TÂY NINH", "VĂN PHÒNG UBND TỈNH")
    assert WHEN in " ".join(lines)
    assert "Ngô Văn Cá Nhân, Chuyên viên, Sở Kế hoạch và Đầu tư" in " ".join(lines)


def test_word_file_header(approved, client_for) -> None:
    import docx

    response = client_for("member").get(
        reverse("minutes:export", args=[approved.meeting_id, "docx"])
    )
    document = docx.Document(io.BytesIO(response.content))
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text][:2] == [
        "UBND TỈNH TÂY NINH",
        "VĂN PHÒNG UBND TỈNH",
    ]
    assert [p.text for p in right.paragraphs if p.text][:2] == [REPUBLIC, MOTTO]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_word_file_as_printed(approved, client_for) -> None:
    response = client_for("member").get(
        reverse("minutes:export", args=[approved.meeting_id, "docx"])
    )
    printed = printed_docx(response.content)
    keep("bien-ban.docx", response.content)
    keep("bien-ban-docx.pdf", printed)
    lines = pdf_lines(printed)
    assert_decree_header(lines, "UBND TỈNH TÂY NINH", "VĂN PHÒNG UBND TỈNH")
    assert WHEN in " ".join(lines)
