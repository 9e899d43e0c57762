"""The invitation (giấy mời) laid out as Decree 30/2020/NĐ-CP asks, on the printed page, as a PDF
and as a Word file: the governing body above the organiser unit, the national emblem lines each on
one line, the invitees with their units and the time as offices write it."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.tests.factories import PersonFactory
from core.testing.documents import (
    MOTTO,
    REPUBLIC,
    assert_decree_header,
    keep,
    pdf_lines,
    printed_docx,
    soffice,
)
from meetings.models import Meeting
from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WHEN = "08 giờ 00, thứ Tư, ngày 09/12/2026"
PERSON = "Ngô Văn Cá Nhân, Chuyên viên, Sở Kế hoạch và Đầu tư"


@pytest.fixture
def invitation_meeting(role_users, department, other_department, settings) -> Meeting:
    settings.GOVERNING_BODY = "UBND tỉnh Tây Ninh"
    person = PersonFactory(
        full_name="Ngô Văn Cá Nhân", position="Chuyên viên", unit=other_department
    )
    clerk = role_users["clerk"]
    meeting = make_meeting(
        by=clerk,
        title="Họp kiểm điểm tiến độ giải ngân",
        units=[department],
        persons=[person],
        secretary=role_users["secretary"],
    )
    publish(meeting, clerk)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=datetime(2026, 12, 9, 8, 0, tzinfo=HCM),
        end_at=datetime(2026, 12, 9, 11, 30, tzinfo=HCM),
    )
    return Meeting.objects.get(pk=meeting.pk)


def test_the_printed_page(invitation_meeting, client_for) -> None:
    page = client_for("member").get(
        reverse("meetings:print_invitation", args=[invitation_meeting.pk])
    )
    html = re.sub(r"\s+", " ", page.content.decode())
    assert "UBND TỈNH TÂY NINH" in html and "VĂN PHÒNG UBND TỈNH" in html
    assert html.index("UBND TỈNH TÂY NINH") < html.index("VĂN PHÒNG UBND TỈNH")
    assert WHEN in html
    assert PERSON in html


def test_the_pdf(invitation_meeting, client_for) -> None:
    response = client_for("member").get(
        reverse("meetings:invitation_pdf", args=[invitation_meeting.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    keep("giay-moi.pdf", response.content)
    lines = pdf_lines(response.content)
    assert_decree_header(lines, "UBND TỈNH TÂY NINH", "VĂN PHÒNG UBND TỈNH")
    text = " ".join(lines)
    assert "GIẤY MỜI" in text and WHEN in text and PERSON in text and "Sở Tài chính" in text


def test_the_word_file(invitation_meeting, client_for) -> None:
    import docx

    response = client_for("member").get(
        reverse("meetings:invitation_docx", args=[invitation_meeting.pk])
    )
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text][:2] == [
        "UBND TỈNH TÂY NINH",
        "VĂN PHÒNG UBND TỈNH",
    ]
    assert [p.text for p in right.paragraphs if p.text][:2] == [REPUBLIC, MOTTO]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "GIẤY MỜI" in text and WHEN in text and PERSON in text


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_the_word_file_as_printed(invitation_meeting, client_for) -> None:
    response = client_for("clerk").get(
        reverse("meetings:invitation_docx", args=[invitation_meeting.pk])
    )
    printed = printed_docx(response.content)
    keep("giay-moi.docx", response.content)
    keep("giay-moi-docx.pdf", printed)
    lines = pdf_lines(printed)
    assert_decree_header(lines, "UBND TỈNH TÂY NINH", "VĂN PHÒNG UBND TỈNH")
    assert WHEN in " ".join(lines)


def test_files_refuse_other_methods(invitation_meeting, client_for) -> None:
    for name in ("meetings:invitation_pdf", "meetings:invitation_docx"):
        url = reverse(name, args=[invitation_meeting.pk])
        assert client_for("clerk").post(url).status_code == 405
        assert client_for("outsider").get(url).status_code == 404


def test_a_cancelled_meetings_files_say_so(invitation_meeting, role_users, client_for) -> None:
    import docx

    from meetings import services

    services.meeting_cancel(
        meeting=invitation_meeting, by=role_users["clerk"], reason="Trùng lịch làm việc"
    )
    client = client_for("member")
    pdf = client.get(reverse("meetings:invitation_pdf", args=[invitation_meeting.pk]))
    assert "CUỘC HỌP ĐÃ HUỶ: Trùng lịch làm việc" in " ".join(pdf_lines(pdf.content))
    word = client.get(reverse("meetings:invitation_docx", args=[invitation_meeting.pk]))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert "CUỘC HỌP ĐÃ HUỶ: Trùng lịch làm việc" in paragraphs
