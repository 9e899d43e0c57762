"""Search inside documents (B3): a meeting found by words in its documents' text, for those who
may read them, with a snippet; never on the public schedule."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.services import token_create
from doctext.folding import fold_aligned
from doctext.models import VersionText
from doctext.selectors import highlight, matches_for, readable_documents
from documents.models import Document
from documents.services import document_delete
from meetings.tests.factories import make_document, make_meeting, publish

from . import files

WORD = "Điện Biên"
TEXT = (
    "Phần mở đầu của tờ trình, đủ dài để đoạn trích bắt đầu giữa chừng văn bản này. "
    "Đầu tư nâng cấp tuyến đường Điện Biên Phủ đoạn qua trung tâm thành phố, "
    "tổng mức đầu tư 120 tỷ đồng. <script>alert(1)</script> Phần cuối văn bản còn dài nữa."
)


def set_text(document, text: str) -> VersionText:
    """The state the worker leaves after reading a file with this text (reading itself is
    tested in test_extract)."""
    row, _ = VersionText.objects.update_or_create(
        version=document.current,
        defaults={
            "status": VersionText.Status.DONE,
            "text": text,
            "folded": fold_aligned(text),
            "pages": 1,
        },
    )
    return row


@pytest.fixture
def in_document(meetings, role_users):
    """The published meeting with a document holding the words; nothing else in it says them."""
    document = make_document(meetings["published"], role_users["clerk"], "Tờ trình.pdf")
    set_text(document, TEXT)
    return document


def _list(client, q: str):
    return client.get(reverse("meetings:list"), {"q": q})


def _found(response) -> list[int]:
    return [m.pk for m in response.context["page"].object_list]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["điện biên", "DIEN BIEN", "dien bien phu", "Điện biên 120"])
def test_a_meeting_is_found_by_words_only_in_its_document(client_for, meetings, in_document, q):
    assert "dien" not in meetings["published"].search_all
    response = _list(client_for("member"), q)
    assert response.status_code == 200
    assert _found(response) == [meetings["published"].pk]
    match = response.context["page"].object_list[0].document_match
    assert match.document_id == in_document.pk
    html = response.content.decode()
    assert "<mark>Điện</mark> <mark>Biên</mark>" in html
    assert reverse("doctext:text", args=[in_document.pk]) in html
    # The snippet is around the match, cut at words, and everything else in it is escaped.
    assert match.snippet.startswith("… ")
    assert "Phần mở đầu" not in match.snippet


@pytest.mark.django_db
def test_the_snippet_escapes_markup_in_the_text(client_for, meetings, in_document):
    html = _list(client_for("member"), "tỷ đồng").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


@pytest.mark.django_db
def test_words_may_come_from_the_meeting_and_from_its_document(client_for, meetings, in_document):
    # "kế hoạch" is in the meeting's title, "điện biên" only in the document.
    response = _list(client_for("member"), "kế hoạch điện biên")
    assert _found(response) == [meetings["published"].pk]
    assert response.context["page"].object_list[0].document_match is not None
    # A word in neither: nothing.
    assert _found(_list(client_for("member"), "điện biên xyzzy")) == []


@pytest.mark.django_db
def test_no_snippet_when_the_meeting_itself_holds_every_word(client_for, meetings, in_document):
    set_text(in_document, "Kế hoạch năm sau")
    response = _list(client_for("member"), "kế hoạch")
    assert meetings["published"].pk in _found(response)
    row = next(m for m in response.context["page"].object_list if m.pk == meetings["published"].pk)
    assert row.document_match is None


@pytest.mark.django_db
def test_not_found_by_accounts_that_do_not_see_the_meeting(client_for, in_document):
    assert _found(_list(client_for("outsider"), "điện biên")) == []
    assert _found(_list(client_for("admin"), "điện biên")) == []


@pytest.mark.django_db
def test_a_draft_meetings_document_is_searched_by_its_organiser_only(
    client_for, meetings, role_users
):
    set_text(meetings["draft_document"], "Quy hoạch Đồng Đăng")
    assert _found(_list(client_for("clerk"), "dong dang")) == [meetings["draft"].pk]
    assert _found(_list(client_for("member"), "dong dang")) == []


@pytest.mark.django_db
def test_a_restricted_document_is_searched_by_its_audience_only(client_for, meetings, in_document):
    # Restricted to every invitation (no audience chosen): the invited unit's leader and unit
    # clerk answer for it, the organiser's side reads it; a staff member of the unit does not.
    Document.objects.filter(pk=in_document.pk).update(restricted=True)
    assert _found(_list(client_for("member"), "điện biên")) == []
    for role in ("unit_leader", "unit_clerk", "clerk", "secretary"):
        response = _list(client_for(role), "điện biên")
        assert _found(response) == [meetings["published"].pk], role
        assert response.context["page"].object_list[0].document_match is not None
    # The text page answers as the document's own page does.
    text_url = reverse("doctext:text", args=[in_document.pk])
    assert client_for("member").get(text_url).status_code == 404
    assert client_for("unit_leader").get(text_url).status_code == 200


@pytest.mark.django_db
def test_a_deleted_document_is_not_searched(client_for, meetings, in_document, role_users):
    # Past the retention time, as a real deletion would be.
    Document.objects.filter(pk=in_document.pk).update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    in_document.refresh_from_db()
    document_delete(document=in_document, by=role_users["clerk"], reason="Nhầm tệp")
    assert _found(_list(client_for("member"), "điện biên")) == []
    assert _found(_list(client_for("clerk"), "điện biên")) == []


@pytest.mark.django_db
def test_an_older_version_is_not_searched(client_for, meetings, role_users):
    # The fixture's document was replaced: only its current version's text counts.
    document = meetings["document"]
    VersionText.objects.filter(version=meetings["old_version"]).update(
        status="done", text="Bản cũ Điện Biên", folded=fold_aligned("Bản cũ Điện Biên")
    )
    assert document.current_id != meetings["old_version"].pk
    assert _found(_list(client_for("member"), "điện biên")) == []


@pytest.mark.django_db
def test_the_public_schedule_never_looks_inside_documents(client, meetings, in_document):
    response = client.get(reverse("meetings:schedule"), {"q": "điện biên", "period": "all"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    # The same schedule finds the meeting by its title: the search itself works there.
    response = client.get(reverse("meetings:schedule"), {"q": "kế hoạch", "period": "all"})
    assert [m.pk for m in response.context["page"].object_list] == [meetings["published"].pk]


@pytest.mark.django_db
def test_the_api_search_finds_the_meeting_by_its_document(meetings, in_document, role_users):
    from django.test import Client

    _, plain = token_create(owner=role_users["member"], name="Thử", scope="read", days=30)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    items = client.get("/api/v1/meetings", {"q": "dien bien"}).json()["items"]
    assert [item["id"] for item in items] == [meetings["published"].pk]
    _, other = token_create(owner=role_users["outsider"], name="Thử", scope="read", days=30)
    outsider = Client(HTTP_AUTHORIZATION=f"Bearer {other}")
    assert outsider.get("/api/v1/meetings", {"q": "dien bien"}).json()["items"] == []


def _meeting_with_document(clerk, department, n: int):
    meeting = make_meeting(by=clerk, title=f"Họp số {n}", units=[department], days_ahead=5 + n)
    publish(meeting, clerk)
    for k in range(2):
        set_text(make_document(meeting, clerk, f"Tài liệu {k}.pdf"), f"Mục {k}. {TEXT}")
    return meeting


@pytest.mark.django_db
def test_the_search_pages_queries_do_not_grow_with_the_results(client_for, role_users, department):
    clerk = role_users["clerk"]
    client = client_for("member")
    _meeting_with_document(clerk, department, 1)
    _list(client, "điện biên")  # warm the caches a first request fills
    with CaptureQueriesContext(connection) as few:
        assert len(_found(_list(client, "điện biên"))) == 1
    for n in range(2, 7):
        _meeting_with_document(clerk, department, n)
    with CaptureQueriesContext(connection) as many:
        response = _list(client, "điện biên")
    assert len(_found(response)) == 6
    assert all(m.document_match for m in response.context["page"].object_list)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_matches_for_chooses_the_document_with_most_missing_words(meetings, role_users):
    meeting = meetings["published"]
    clerk = role_users["clerk"]
    set_text(make_document(meeting, clerk, "Một.pdf"), "Chỉ có Điện Biên ở đây")
    both = make_document(meeting, clerk, "Hai.pdf")
    set_text(both, "Điện Biên và Lai Châu cùng có")
    found = matches_for(role_users["member"], [meeting], ["dien", "bien", "lai", "chau"])
    assert found[meeting.pk].document_id == both.pk
    assert "<mark>Lai</mark> <mark>Châu</mark>" in found[meeting.pk].snippet


def test_highlight_marks_folded_words_and_escapes_the_rest() -> None:
    assert str(highlight("Đà Nẵng & <b>", ["nang"])) == "Đà <mark>Nẵng</mark> &amp; &lt;b&gt;"


@pytest.mark.django_db
def test_readable_documents_are_the_alive_documents_of_visible_meetings(
    meetings, role_users, in_document
):
    member = set(readable_documents(role_users["member"]).values_list("pk", flat=True))
    assert member == {meetings["document"].pk, in_document.pk}
    clerk = set(readable_documents(role_users["clerk"]).values_list("pk", flat=True))
    assert clerk == member | {meetings["draft_document"].pk}
    assert not readable_documents(role_users["outsider"]).exists()


@pytest.mark.django_db
def test_an_uploaded_document_is_searchable_end_to_end(client_for, upload, meetings):
    upload("Tờ trình.docx", files.docx_bytes())
    response = _list(client_for("member"), "duong giao thong nong thon")
    assert _found(response) == [meetings["published"].pk]
    assert "<mark>Đường</mark>" in response.content.decode()
