"""'Ghi chú của tôi': the list (paginated, by meeting), its PDF and Word exports."""

import io

import pytest
from django.urls import reverse

from meetings.tests.factories import make_document, make_meeting, publish
from notes.models import Note
from notes.services import note_create

from .conftest import read_pdf_text

pytestmark = pytest.mark.django_db


def _pin(by, document, text, page=1, **extra):
    note, _ = note_create(
        by=by, document=document, page=page, kind="pin", rects=[[0.5, 0.5]], text=text, **extra
    )
    return note


@pytest.fixture
def second_meeting(role_users, department):
    meeting = make_meeting(
        by=role_users["clerk"], title="Họp về đầu tư công", units=[department], days_ahead=20
    )
    publish(meeting, role_users["clerk"])
    return {
        "meeting": meeting,
        "document": make_document(meeting, role_users["clerk"], "Dau tu.pdf"),
    }


def test_my_notes_lists_filters_and_links(client_for, role_users, document, second_meeting):
    member = role_users["member"]
    _pin(member, document, "Ghi chú về kế hoạch")
    _pin(member, second_meeting["document"], "Ghi chú về đầu tư")
    _pin(role_users["unit_leader"], document, "Của lãnh đạo", share=True)
    client = client_for("member")
    page = client.get(reverse("notes:mine")).content.decode()
    assert "Ghi chú về kế hoạch" in page and "Ghi chú về đầu tư" in page
    assert "Của lãnh đạo" not in page  # the unit's shared notes are read in the viewer only
    assert "Trang 1" in page
    assert (
        reverse("documents:detail", args=[document.pk]) in page
        or reverse("viewer:document", args=[document.pk]) in page
    )
    only = client.get(reverse("notes:mine"), {"cuoc-hop": second_meeting["meeting"].pk})
    text = only.content.decode()
    assert "Ghi chú về đầu tư" in text and "Ghi chú về kế hoạch" not in text
    # A meeting filter of nonsense shows all of them.
    assert (
        "Ghi chú về kế hoạch"
        in client.get(reverse("notes:mine"), {"cuoc-hop": "x"}).content.decode()
    )


def test_my_notes_is_paginated_with_a_steady_number_of_queries(
    client_for, role_users, document, second_meeting, django_assert_max_num_queries
):
    member = role_users["member"]
    for n in range(5):
        _pin(member, document, f"Ghi chú số {n}")
    client = client_for("member")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("notes:mine"))
    first = len(few.captured_queries)  # read now: each request empties the query log
    for n in range(5, 45):
        _pin(member, second_meeting["document"] if n % 2 else document, f"Ghi chú số {n}")
    with django_assert_max_num_queries(first):
        response = client.get(reverse("notes:mine"))
    assert response.context["page"].paginator.count == 45
    assert len(response.context["page"].object_list) == 20
    last = client.get(reverse("notes:mine"), {"trang": 3})
    assert len(last.context["page"].object_list) == 5


def test_notes_on_documents_no_longer_seen_are_not_listed(client_for, role_users, document):
    from django.utils import timezone

    from documents.models import Document

    _pin(role_users["member"], document, "Trên tài liệu đã xoá")
    # Deleted (past the retention period, which the documents' tests cover).
    Document.objects.filter(pk=document.pk).update(deleted_at=timezone.now())
    page = client_for("member").get(reverse("notes:mine")).content.decode()
    assert "Trên tài liệu đã xoá" not in page
    assert Note.objects.filter(text="Trên tài liệu đã xoá").exists()


def test_export_pdf_keeps_vietnamese(client_for, role_users, five_pages):
    member = role_users["member"]
    note_create(
        by=member,
        document=five_pages,
        page=3,
        kind="highlight",
        rects=[[0.1, 0.1, 0.5, 0.03]],
        quote="Kế hoạch phát triển kinh tế",
        text="Đề nghị bổ sung chỉ tiêu tăng trưởng",
    )
    _pin(member, five_pages, "<script>alert(1)</script> Ưu tiên đầu tư", page=5)
    response = client_for("member").get(reverse("notes:export_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "ghi-chu-cua-toi" in response["Content-Disposition"]
    text = read_pdf_text(response.content)
    for expected in (
        "GHI CHÚ CỦA TÔI",
        "Họp bàn kế hoạch năm",
        "Trang 3",
        "Kế hoạch phát triển kinh tế",
        "Đề nghị bổ sung chỉ tiêu tăng trưởng",
        "<script>alert(1)</script> Ưu tiên đầu tư",
        "Trang 5",
    ):
        assert expected in text, expected


def test_export_docx_keeps_vietnamese(client_for, role_users, document):
    import docx

    _pin(role_users["member"], document, "Đề nghị làm rõ nguồn vốn ngân sách")
    response = client_for("member").get(reverse("notes:export_docx"))
    assert response.status_code == 200
    word = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "GHI CHÚ CỦA TÔI" in text
    assert "Họp bàn kế hoạch năm" in text and document.title in text
    assert "Trang 1" in text and "Đề nghị làm rõ nguồn vốn ngân sách" in text


def test_exports_wrong_method_and_anonymous(client_for):
    for name in ("notes:mine", "notes:export_pdf", "notes:export_docx"):
        assert client_for("member").post(reverse(name)).status_code == 405
        response = client_for("anonymous").get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:login")
        )


def test_exports_are_bounded_and_say_so(client_for, role_users, document, monkeypatch):
    import docx

    from notes import selectors

    # A small bound, so that the test writes a few notes rather than hundreds.
    monkeypatch.setattr(selectors, "PDF_LIMIT", 3)
    monkeypatch.setattr(selectors, "DOCX_LIMIT", 3)
    for n in range(4):
        _pin(role_users["member"], document, f"Ghi chú thứ {n}")
    client = client_for("member")
    text = read_pdf_text(client.get(reverse("notes:export_pdf")).content)
    assert "Chỉ in 3 ghi chú đầu tiên" in text
    assert "Ghi chú thứ 2" in text and "Ghi chú thứ 3" not in text
    word = docx.Document(io.BytesIO(client.get(reverse("notes:export_docx")).content))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert "Chỉ in 3 ghi chú đầu tiên" in paragraphs and "Ghi chú thứ 3" not in paragraphs
    # Under the bound, no such line.
    monkeypatch.setattr(selectors, "PDF_LIMIT", 4)
    assert "Chỉ in" not in read_pdf_text(client.get(reverse("notes:export_pdf")).content)


def test_a_restricted_document_hides_its_notes_from_outside_its_audience(
    client_for, role_users, document
):
    from documents.models import Document

    _pin(role_users["member"], document, "Trên tài liệu hạn chế")
    _pin(role_users["clerk"], document, "Của người tổ chức")
    # Restricted, for nobody of the department (the organiser side still reads it).
    Document.objects.filter(pk=document.pk).update(restricted=True)
    member = client_for("member")
    assert "Trên tài liệu hạn chế" not in member.get(reverse("notes:mine")).content.decode()
    assert member.get(reverse("notes:document", args=[document.pk])).status_code == 404
    clerk = client_for("clerk")
    assert "Của người tổ chức" in clerk.get(reverse("notes:mine")).content.decode()
