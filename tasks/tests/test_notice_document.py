"""The conclusion notice as offices write it: a new notice starts from what the meeting knows
(today's date, the chair as the one who concluded and as the signer, the approved minutes'
conclusions), the button that opens it looks like the action it is, and its PDF is laid out as
Decree 30/2020/NĐ-CP asks (the governing body above the office, the emblem lines each on one
line, the meeting's time as offices write it)."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PersonFactory, UserFactory
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
from minutes import services as minutes_services
from tasks import drafting
from tasks.models import Notice
from tasks.services import TaskData
from tasks.tests.conftest import make_notice

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WHEN = "08 giờ 00, thứ Tư, ngày 09/12/2026"


@pytest.fixture
def chaired(role_users, office, department) -> dict:
    person = PersonFactory(
        full_name="Trần Văn Chủ Trì", position="Phó Chủ tịch UBND tỉnh", unit=office
    )
    chair = UserFactory(username="chair1", role=User.Role.UNIT_LEADER, unit=office, person=person)
    clerk = role_users["clerk"]
    meeting = make_meeting(
        by=clerk,
        title="Họp kiểm điểm tiến độ giải ngân",
        units=[department],
        secretary=role_users["secretary"],
        chair=person,
    )
    publish(meeting, clerk)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=datetime(2026, 12, 9, 8, 0, tzinfo=HCM),
        end_at=datetime(2026, 12, 9, 11, 30, tzinfo=HCM),
    )
    return {"meeting": Meeting.objects.get(pk=meeting.pk), "chair": chair}


def _approve(chaired: dict, by: User, conclusions: str) -> None:
    minutes = minutes_services.minutes_start(meeting=chaired["meeting"], by=by)
    version = minutes.versions.get()
    saved = minutes_services.minutes_save(
        minutes=minutes, by=by, text={**version.text(), "conclusions": conclusions}, based_on=1
    )
    minutes_services.minutes_approve(
        minutes=minutes,
        by=chaired["chair"],
        version=saved.number,
        number="5/BB-VP",
        place="Tây Ninh",
    )


def _form(client, meeting):
    response = client.get(reverse("tasks:notice_create", args=[meeting.pk]))
    assert response.status_code == 200
    return response.context["form"]


def test_a_new_notice_starts_from_the_meeting_and_its_approved_minutes(
    chaired, role_users, client_for
) -> None:
    _approve(
        chaired,
        role_users["secretary"],
        "1. Thống nhất đẩy nhanh giải ngân.\n2. Giao Sở Tài chính rà soát.",
    )
    form = _form(client_for("clerk"), chaired["meeting"])
    from django.utils import timezone

    assert form["issued_on"].value() == timezone.localdate()
    assert form["concluded_by"].value() == "Phó Chủ tịch UBND tỉnh Trần Văn Chủ Trì"
    assert form["signer_name"].value() == "Trần Văn Chủ Trì"
    assert form["signer_title"].value() == "Phó Chủ tịch UBND tỉnh"
    assert form["place"].value() == "Tây Ninh"
    body = form["body"].value()
    assert "1. Thống nhất đẩy nhanh giải ngân.\n2. Giao Sở Tài chính rà soát." in body
    assert WHEN in body and "Phòng họp số 1" in body
    assert "chủ trì cuộc họp kiểm điểm tiến độ giải ngân." in body
    # What the clerk sees in the text box, not only what the form holds.
    page = client_for("clerk").get(reverse("tasks:notice_create", args=[chaired["meeting"].pk]))
    assert "Thống nhất đẩy nhanh giải ngân." in page.content.decode()


def test_a_draft_of_the_minutes_is_not_copied(chaired, role_users, client_for) -> None:
    minutes = minutes_services.minutes_start(meeting=chaired["meeting"], by=role_users["secretary"])
    version = minutes.versions.get()
    minutes_services.minutes_save(
        minutes=minutes,
        by=role_users["secretary"],
        text={**version.text(), "conclusions": "Chưa được chủ trì duyệt."},
        based_on=1,
    )
    body = _form(client_for("clerk"), chaired["meeting"])["body"].value()
    assert "Chưa được chủ trì duyệt." not in body
    assert WHEN in body


def test_without_a_chair_nobody_is_made_up(meeting, client_for) -> None:
    form = _form(client_for("clerk"), meeting)
    assert form["concluded_by"].value() in ("", None)
    assert form["signer_name"].value() in ("", None)


def test_the_button_looks_enabled(chaired, client_for) -> None:
    page = client_for("clerk").get(reverse("meetings:detail", args=[chaired["meeting"].pk]))
    url = reverse("tasks:notice_create", args=[chaired["meeting"].pk])
    button = re.search(rf'<a class="([^"]*)" href="{re.escape(url)}"', page.content.decode())
    assert button is not None
    classes = button.group(1).split()
    assert "btn-outline-secondary" not in classes and "disabled" not in classes
    assert "btn-outline-primary" in classes or "btn-primary" in classes


def test_notice_pdf_is_laid_out_as_the_decree_asks(chaired, role_users, client_for, settings):
    settings.GOVERNING_BODY = "UBND tỉnh Tây Ninh"
    notice = make_notice(chaired["meeting"], role_users["clerk"], [])
    # Saved from the form as it starts: the text opens with the meeting's time.
    Notice.objects.filter(pk=notice.pk).update(
        body=drafting.notice_initial(chaired["meeting"])["body"]
    )
    response = client_for("clerk").get(reverse("tasks:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200
    lines = pdf_lines(response.content)
    assert_decree_header(lines, "UBND TỈNH TÂY NINH", "VĂN PHÒNG UBND TỈNH")
    text = " ".join(lines)
    assert WHEN in text
    assert "tại cuộc họp kiểm điểm tiến độ giải ngân" in text and "cuộc họp Họp" not in text
    keep("thong-bao-ket-luan.pdf", response.content)


@pytest.fixture
def notice_with_text(chaired, role_users, department, settings) -> Notice:
    settings.GOVERNING_BODY = "UBND tỉnh Tây Ninh"
    notice = make_notice(
        chaired["meeting"],
        role_users["clerk"],
        [TaskData(title="Rà soát kế hoạch vốn", unit=department, deadline=date(2026, 12, 31))],
    )
    Notice.objects.filter(pk=notice.pk).update(
        body=drafting.notice_initial(chaired["meeting"])["body"]
        + "\n\n1. Thống nhất đẩy nhanh giải ngân."
    )
    return notice


def _word(client, notice):
    import docx

    response = client.get(reverse("tasks:notice_docx", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content, docx.Document(io.BytesIO(response.content))


def test_notice_word_file(notice_with_text, client_for) -> None:
    content, document = _word(client_for("unit_clerk"), notice_with_text)
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "UBND TỈNH TÂY NINH",
        "VĂN PHÒNG UBND TỈNH",
        "Số: 125/TB-VP",
    ]
    assert [p.text for p in right.paragraphs if p.text][:2] == [REPUBLIC, MOTTO]
    cells = [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    for expected in (
        "THÔNG BÁO",
        "Kết luận của Phó Chủ tịch UBND tỉnh Nguyễn Văn A tại cuộc họp kiểm điểm tiến độ giải ngân",
        WHEN,
        "1. Thống nhất đẩy nhanh giải ngân.",
        "Rà soát kế hoạch vốn",
        "31/12/2026",
        "Nơi nhận:",
        "- Sở Tài chính;",
        "CHÁNH VĂN PHÒNG",
        "Trần Văn B",
    ):
        assert expected in text, expected


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_notice_word_file_as_printed(notice_with_text, client_for) -> None:
    content, _document = _word(client_for("clerk"), notice_with_text)
    printed = printed_docx(content)
    keep("thong-bao-ket-luan.docx", content)
    keep("thong-bao-ket-luan-docx.pdf", printed)
    lines = pdf_lines(printed)
    assert_decree_header(lines, "UBND TỈNH TÂY NINH", "VĂN PHÒNG UBND TỈNH")
    assert WHEN in " ".join(lines)


def test_a_draft_notices_word_file_is_the_offices(chaired, role_users, client_for) -> None:
    draft = make_notice(chaired["meeting"], role_users["clerk"], [], issue=False)
    url = reverse("tasks:notice_docx", args=[draft.pk])
    assert client_for("unit_clerk").get(url).status_code == 404
    assert client_for("clerk").post(url).status_code == 405
