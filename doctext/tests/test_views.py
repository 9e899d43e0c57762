"""The text page of a document and the line about it on the document's page (B3)."""

import pytest
from django.urls import reverse

from doctext.models import VersionText
from doctext.views import PART_CHARS

from .test_search import set_text


def _url(document) -> str:
    return reverse("doctext:text", args=[document.pk])


@pytest.mark.django_db
def test_the_text_page_shows_the_text_with_the_words_marked(client_for, meetings):
    document = meetings["document"]
    set_text(document, "Quyết định số 12 về <b>đường</b> Điện Biên")
    response = client_for("member").get(_url(document), {"q": "dien bien"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Điện</mark> <mark>Biên</mark>" in html
    assert "&lt;b&gt;đường&lt;/b&gt;" in html
    assert "đã trích xuất 1 trang" in html


@pytest.mark.django_db
def test_a_long_text_is_shown_a_part_at_a_time(client_for, meetings):
    document = meetings["document"]
    set_text(document, "a" * PART_CHARS + "PHẦN HAI")
    client = client_for("member")
    first = client.get(_url(document)).content.decode()
    assert "PHẦN HAI" not in first and "?phan=2" in first
    second = client.get(_url(document), {"phan": "2"}).content.decode()
    assert "PHẦN HAI" in second
    # A part out of range or not a number: the nearest part, not an error.
    assert client.get(_url(document), {"phan": "99"}).status_code == 200
    assert client.get(_url(document), {"phan": "x<"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "says"),
    [
        ("pending", "đang trích xuất"),
        ("no_text", "không có lớp chữ"),
        ("encrypted", "Tệp có mật khẩu"),
        ("failed", "Lỗi khi đọc tệp"),
    ],
)
def test_the_status_is_said_on_both_pages(client_for, meetings, status, says):
    document = meetings["document"]
    VersionText.objects.filter(version=document.current).update(status=status)
    client = client_for("member")
    assert says in client.get(_url(document)).content.decode()
    detail = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert says in detail
    assert _url(document) not in detail  # the link only when there is text


@pytest.mark.django_db
def test_the_document_page_links_to_the_text(client_for, meetings):
    document = meetings["document"]
    set_text(document, "Nội dung")
    detail = client_for("member").get(reverse("documents:detail", args=[document.pk]))
    assert _url(document) in detail.content.decode()


@pytest.mark.django_db
def test_wrong_method_anonymous_other_unit_and_draft(client_for, meetings):
    document = meetings["document"]
    assert client_for("member").post(_url(document)).status_code == 405
    anonymous = client_for("anonymous").get(_url(document))
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]
    assert client_for("outsider").get(_url(document)).status_code == 404
    assert client_for("member").get(_url(meetings["draft_document"])).status_code == 404
    assert client_for("clerk").get(_url(meetings["draft_document"])).status_code == 200
    assert client_for("member").get(reverse("doctext:text", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_the_text_page_reads_a_part_not_the_whole_text(
    client_for, meetings, django_assert_max_num_queries
):
    document = meetings["document"]
    set_text(document, "x " * 400_000)
    client = client_for("member")
    client.get(_url(document))
    with django_assert_max_num_queries(12):
        response = client.get(_url(document))
    assert len(response.context["text"]) == PART_CHARS
