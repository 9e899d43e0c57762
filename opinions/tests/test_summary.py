"""The summary as the office files it, "Bảng tổng hợp ý kiến" laid out as Decree 30/2020/NĐ-CP
asks: the governing body above the office, the emblem lines, the number and symbol, the place and
date, the title, for each question every recipient named once under the answer it gave (with its
words where it gave some), the signer's title and name. The page, the Word file and the PDF come
from one layout: each is read back here and holds the same sections and names."""

import html
import io
import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone, translation

from accounts.letterhead import person_with_unit
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
from opinions import services
from opinions.models import OpinionRequest

from .conftest import QUESTIONS, make_request

pytestmark = pytest.mark.django_db

TITLE = "Lấy ý kiến dự thảo Quy chế làm việc"


@pytest.fixture
def office_papers(settings) -> None:
    settings.GOVERNING_BODY = "UBND tỉnh Tây Ninh"
    settings.MINUTES_PLACE = "Tây Ninh"


def _expected(worked: dict, missing: str = "Chưa trả lời") -> list[tuple[str, list]]:
    """The hand-worked dataset (conftest.worked), question by question: each answer kind with its
    count and the recipients that gave it, in the order they were asked."""
    person = person_with_unit(worked["person"])
    return [
        (
            f"1. {QUESTIONS[0]}",
            [
                ("Đồng ý: 2 nơi", ["Sở Tài chính", "Sở Nội vụ"]),
                ("Đồng ý, có ý kiến: 0 nơi", []),
                ("Không đồng ý: 1 nơi", ["Sở Y tế: Cần thêm thời gian"]),
                ("Ý kiến khác: 0 nơi", []),
                (f"{missing}: 1 nơi", [person]),
            ],
        ),
        (
            f"2. {QUESTIONS[1]}",
            [
                ("Đồng ý: 0 nơi", []),
                ("Đồng ý, có ý kiến: 1 nơi", ["Sở Nội vụ: Đồng ý, đề nghị sớm ban hành"]),
                ("Không đồng ý: 1 nơi", ["Sở Y tế"]),
                ("Ý kiến khác: 1 nơi", ["Sở Tài chính: Giảm phí"]),
                (f"{missing}: 1 nơi", [person]),
            ],
        ),
    ]


def _names(worked: dict) -> list[str]:
    return ["Sở Tài chính", "Sở Nội vụ", "Sở Y tế", person_with_unit(worked["person"])]


def assert_sections(text: str, expected: list[tuple[str, list]], names: list[str]) -> None:
    """Each question's section holds its answer kinds in order, each with its recipients (and
    their words); every recipient is named exactly once in a section."""
    at = 0
    for n, (heading, groups) in enumerate(expected):
        start = text.index(heading, at)
        end = text.index(expected[n + 1][0], start) if n + 1 < len(expected) else len(text)
        section = text[start:end]
        position = 0
        for group, entries in groups:
            position = section.index(group, position)
            for entry in entries:
                assert entry in section[position:], (heading, group, entry)
        for name in names:
            assert section.count(name) == 1, (heading, name, section)
        at = end


def _page_text(client, opinion: OpinionRequest) -> str:
    response = client.get(reverse("opinions:summary", args=[opinion.pk]))
    assert response.status_code == 200
    found = re.search(
        r'<article id="bang-tong-hop"[^>]*>(.*?)</article>', response.content.decode(), re.S
    )
    assert found is not None
    inline = re.sub(r"</?(?:strong|em|span|b|i|a)\b[^>]*>", "", found.group(1))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def _docx(client, opinion: OpinionRequest):
    import docx

    response = client.get(reverse("opinions:summary_docx", args=[opinion.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return response.content, docx.Document(io.BytesIO(response.content))


def _docx_text(document) -> str:
    """The body's paragraphs and tables' cells in the order they stand in the file."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    parts = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            parts.append(Paragraph(block, document).text)
        elif block.tag.endswith("}tbl"):
            table = Table(block, document)
            parts += [p.text for cell in table._cells for p in cell.paragraphs]
    return " ".join(" ".join(parts).split())


def _pdf(client, opinion: OpinionRequest) -> bytes:
    response = client.get(reverse("opinions:summary_pdf", args=[opinion.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return response.content


def _signed(opinion: OpinionRequest, by: User) -> None:
    services.summary_signer_set(
        request=opinion, by=by, title="Chánh Văn phòng", name="Dương Văn Thắng"
    )


def _today_line() -> str:
    today = timezone.localdate()
    return f"Tây Ninh, ngày {today:%d} tháng {today:%m} năm {today:%Y}"


def test_the_page_the_word_file_and_the_pdf_hold_the_same_sections_and_names(
    worked, role_users, client_for, office_papers
):
    opinion = worked["opinion"]
    _signed(opinion, role_users["clerk"])
    client = client_for("clerk")
    page = _page_text(client, opinion)
    _content, document = _docx(client, opinion)
    word = _docx_text(document)
    pdf = " ".join(pdf_lines(_pdf(client, opinion)))
    expected, names = _expected(worked), _names(worked)
    sent = timezone.localtime(opinion.sent_at).strftime("%d/%m/%Y")
    deadline = timezone.localtime(opinion.deadline).strftime("%H:%M %d/%m/%Y")
    for name, text in (("page", page), ("word", word), ("pdf", pdf)):
        assert_sections(text, expected, names)
        for line in (
            REPUBLIC,
            MOTTO,
            "UBND TỈNH TÂY NINH",
            "VĂN PHÒNG UBND TỈNH",
            "Số: /BTH-VPUBND",
            _today_line(),
            "BẢNG TỔNG HỢP Ý KIẾN",
            TITLE,
            f"Ngày {sent}, Văn phòng UBND tỉnh gửi phiếu lấy ý kiến đến 4 nơi, "
            f"hạn trả lời {deadline}.",
            "Đã nhận ý kiến của 3/4 nơi; 1 nơi chưa trả lời. Kết quả tổng hợp như sau:",
            "Nơi nhận:",
            "- Lưu: VT.",
            "CHÁNH VĂN PHÒNG",
            "Dương Văn Thắng",
        ):
            assert " ".join(line.split()) in " ".join(text.split()), (name, line)
        # Said once: neither the account that answered nor the unit a second time.
        assert "(Sở" not in text and "Không đồng ý)" not in text, name


def test_the_word_file_is_laid_out_as_the_decree_asks(
    worked, role_users, client_for, office_papers
):
    _signed(worked["opinion"], role_users["clerk"])
    _content, document = _docx(client_for("clerk"), worked["opinion"])
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "UBND TỈNH TÂY NINH",
        "VĂN PHÒNG UBND TỈNH",
        "Số:      /BTH-VPUBND",
    ]
    assert [p.text for p in right.paragraphs if p.text] == [REPUBLIC, MOTTO, _today_line()]
    recipients, signer = document.tables[-1].rows[0].cells
    assert [p.text for p in recipients.paragraphs if p.text] == ["Nơi nhận:", "- Lưu: VT."]
    assert [p.text for p in signer.paragraphs if p.text] == ["CHÁNH VĂN PHÒNG", "Dương Văn Thắng"]


def test_the_pdf_is_laid_out_as_the_decree_asks(worked, role_users, client_for, office_papers):
    _signed(worked["opinion"], role_users["clerk"])
    pdf = _pdf(client_for("clerk"), worked["opinion"])
    lines = pdf_lines(pdf)
    assert_decree_header(lines, "UBND TỈNH TÂY NINH", "VĂN PHÒNG UBND TỈNH")
    assert any(line.endswith(_today_line()) for line in lines[:12]), lines[:12]
    # Its pages are drawn to test-output/screenshots/ by browser_tests/test_opinions.py.
    keep("bang-tong-hop-y-kien.pdf", pdf)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_the_word_file_as_printed(worked, role_users, client_for, office_papers):
    _signed(worked["opinion"], role_users["clerk"])
    content, _document = _docx(client_for("clerk"), worked["opinion"])
    printed = printed_docx(content)
    keep("bang-tong-hop-y-kien.docx", content)
    lines = pdf_lines(printed)
    assert_decree_header(lines, "UBND TỈNH TÂY NINH", "VĂN PHÒNG UBND TỈNH")
    assert_sections(" ".join(lines), _expected(worked), _names(worked))
    keep("bang-tong-hop-y-kien-docx.pdf", printed)


def test_after_the_deadline_those_silent_did_not_answer(worked, role_users, client_for):
    opinion = worked["opinion"]
    services.request_close(request=opinion, by=role_users["clerk"])
    page = _page_text(client_for("clerk"), opinion)
    assert_sections(page, _expected(worked, missing="Không trả lời"), _names(worked))
    assert "Đã nhận ý kiến của 3/4 nơi; 1 nơi không trả lời." in page
    OpinionRequest.objects.filter(pk=opinion.pk).update(
        status=OpinionRequest.Status.SENT, deadline=timezone.now() - timedelta(minutes=1)
    )
    assert "Không trả lời: 1 nơi" in _page_text(client_for("clerk"), opinion)


def test_a_drafts_summary_says_it_was_not_sent(draft, client_for):
    page = _page_text(client_for("clerk"), draft)
    assert "Phiếu lấy ý kiến chưa được gửi đi." in page
    assert "Đã nhận ý kiến của 0/1 nơi; 1 nơi chưa trả lời." in page
    assert "Chưa trả lời: 1 nơi Sở Tài chính" in page


# ---- who signs ---------------------------------------------------------------------------


def test_the_clerk_names_the_signer_on_the_page(worked, role_users, client_for):
    opinion = worked["opinion"]
    url = reverse("opinions:summary", args=[opinion.pk])
    client = client_for("clerk")
    response = client.post(
        url, {"summary_signer_title": "Phó Chánh Văn phòng", "summary_signer_name": "Lê Văn Ký"}
    )
    assert response.status_code == 302 and response["Location"] == url
    opinion.refresh_from_db()
    assert (opinion.summary_signer_title, opinion.summary_signer_name) == (
        "Phó Chánh Văn phòng",
        "Lê Văn Ký",
    )
    change = LogEntry.objects.get_for_object(opinion).latest("timestamp")
    assert change.actor == role_users["clerk"]
    assert change.changes_dict["summary_signer_name"] == ["", "Lê Văn Ký"]
    page = _page_text(client, opinion)
    assert "PHÓ CHÁNH VĂN PHÒNG" in page and "Lê Văn Ký" in page
    _content, document = _docx(client, opinion)
    assert "Lê Văn Ký" in _docx_text(document)
    assert "Lê Văn Ký" in " ".join(pdf_lines(_pdf(client, opinion)))


def test_a_refused_signer_keeps_what_was_typed_on_the_pages_address(worked, client_for):
    opinion = worked["opinion"]
    url = reverse("opinions:summary", args=[opinion.pk])
    client = client_for("clerk")
    long_title = "Chánh Văn phòng " * 20
    response = client.post(url, {"summary_signer_title": long_title, "summary_signer_name": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tối đa 150 ký tự" in body and long_title.strip() in body
    assert 'action=""' in body or f'action="{url}"' in body
    opinion.refresh_from_db()
    assert opinion.summary_signer_title == "" and opinion.summary_signer_name == ""
    assert client.get(url).status_code == 200


def test_only_the_asking_unit_names_the_signer(worked, client_for):
    opinion = worked["opinion"]
    url = reverse("opinions:summary", args=[opinion.pk])
    data = {"summary_signer_title": "Giám đốc", "summary_signer_name": "Kẻ Lạ"}
    assert client_for("unit_leader").post(url, data).status_code == 403
    assert client_for("outsider").post(url, data).status_code == 404
    assert client_for("anonymous").post(url, data).status_code == 302
    assert client_for("clerk").put(url, data).status_code == 405
    opinion.refresh_from_db()
    assert opinion.summary_signer_name == ""


def test_without_a_signer_named_the_units_leader_signs(worked, office, client_for):
    person = PersonFactory(
        full_name="Dương Văn Thắng", position="Chánh Văn phòng UBND tỉnh", unit=office
    )
    UserFactory(username="cvp", role=User.Role.UNIT_LEADER, unit=office, person=person)
    page = _page_text(client_for("clerk"), worked["opinion"])
    assert "CHÁNH VĂN PHÒNG UBND TỈNH" in page and "Dương Văn Thắng" in page


def test_without_anyone_to_sign_nobody_is_made_up(worked, client_for):
    page = _page_text(client_for("clerk"), worked["opinion"])
    assert page.endswith("THỦ TRƯỞNG ĐƠN VỊ"), page[-200:]


def test_in_english_nothing_vietnamese_is_left(role_users, office, department, client_for):
    """The summary's own words are all in the catalogue: with data typed in English, the English
    page and Word file hold no Vietnamese."""
    from django.conf import settings

    from core.tests.test_translations import VIETNAMESE

    office.name, department.name = "Provincial Office", "Finance Department"
    office.save()
    department.save()
    opinion = make_request(
        role_users["clerk"], units=[department], title="Fee rules", questions=["Approve"]
    )
    client = client_for("clerk")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The language middleware leaves English active in this thread: given back after.
    with translation.override(settings.LANGUAGE_CODE):
        page = _page_text(client, opinion)
        _content, document = _docx(client, opinion)
    for text in (page, _docx_text(document)):
        assert "OPINION SUMMARY" in text and "Not yet responded: 1 addressee" in text, text
        assert "Answers received from 0 of 1 addressee; 1 not answered yet." in text, text
        assert VIETNAMESE.search(text) is None, text
