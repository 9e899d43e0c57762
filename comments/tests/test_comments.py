"""Comments (C1), the live list and the summary with its exports (C2)."""

import io
from datetime import timedelta

import docx
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from comments import services
from comments.models import Comment, Summary
from meetings.models import Meeting, Receipt
from meetings.tests.factories import pdf_bytes

SCRIPT = "<script>alert('x')</script>"
TEXT = "Đề nghị Sở Tài chính làm rõ nguồn vốn đầu tư công năm 2027."


@pytest.fixture
def meeting(meetings):
    return meetings["published"]


def _post(client, meeting, **data):
    return client.post(reverse("comments:list", args=[meeting.pk]), data)


@pytest.mark.usefixtures("each_storage")  # local disk, then S3
def test_an_invitee_comments_with_a_file_on_a_document(client_for, meetings, meeting):
    document = meetings["document"]
    response = _post(
        client_for("unit_leader"),
        meeting,
        body=TEXT,
        document=document.pk,
        file=SimpleUploadedFile("Ý kiến bổ sung.pdf", pdf_bytes()),
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.body, comment.document, comment.file_name) == (
        TEXT,
        document,
        "Ý kiến bổ sung.pdf",
    )
    assert Receipt.objects.get(meeting=meeting, user=comment.author).commented_at
    download = client_for("member").get(reverse("comments:file", args=[comment.pk]))
    assert b"".join(download.streaming_content) == pdf_bytes()


def test_a_disguised_attachment_is_refused(client_for, meeting):
    response = _post(
        client_for("member"), meeting, body=TEXT, file=SimpleUploadedFile("a.pdf", b"MZ\x90")
    )
    assert response.status_code == 400
    assert "không phải PDF" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_of_100000_characters_is_refused(client_for, meeting):
    response = _post(client_for("member"), meeting, body="ý" * 100_000)
    assert response.status_code == 400
    assert "100000 ký tự" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_double_click_is_one_comment(client_for, meeting):
    client = client_for("member")
    _post(client, meeting, body=TEXT)
    _post(client, meeting, body=TEXT)
    assert Comment.objects.count() == 1


def test_script_stays_text_in_the_list_and_the_feed(client_for, meeting):
    _post(client_for("member"), meeting, body=SCRIPT)
    for name in ["comments:list", "comments:feed"]:
        page = client_for("secretary").get(reverse(name, args=[meeting.pk])).content.decode()
        assert SCRIPT not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("state", ["ended", "cancelled"])
def test_after_the_end_the_server_refuses_comments(client_for, meeting, state):
    if state == "ended":
        Meeting.objects.filter(pk=meeting.pk).update(
            start_at=timezone.now() - timedelta(hours=3),
            end_at=timezone.now() - timedelta(seconds=1),
        )
    else:
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    response = _post(client_for("member"), meeting, body=TEXT)
    assert response.status_code == 400
    assert "không nhận thêm ý kiến" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_uninvited_account_cannot_comment(client_for, meeting):
    assert _post(client_for("outsider"), meeting, body=TEXT).status_code == 404
    assert not Comment.objects.exists()


def test_editing_is_for_the_author_within_ten_minutes(client_for, meeting):
    _post(client_for("member"), meeting, body=TEXT)
    comment = Comment.objects.get()
    url = reverse("comments:edit", args=[comment.pk])
    assert client_for("unit_leader").post(url, {"body": "Khác"}).status_code == 403
    assert client_for("member").post(url, {"body": "Đã sửa"}).status_code == 302
    assert Comment.objects.get().body == "Đã sửa"
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    late = client_for("member").post(url, {"body": "Sửa muộn"})
    assert late.status_code == 200 and "10 phút" in late.content.decode()
    assert Comment.objects.get().body == "Đã sửa"


def test_the_summary_and_its_exports(client_for, meeting):
    _post(client_for("member"), meeting, body=TEXT)
    secretary = client_for("secretary")
    summary_text = "Các đơn vị thống nhất với dự thảo; Sở Tài chính bổ sung nguồn vốn."
    response = secretary.post(
        reverse("comments:summary", args=[meeting.pk]), {"body": summary_text}
    )
    assert response.status_code == 302
    assert Summary.objects.get(meeting=meeting).body == summary_text
    word = secretary.get(reverse("comments:export_docx", args=[meeting.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert TEXT in text and summary_text in text
    pdf = secretary.get(reverse("comments:export_pdf", args=[meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    extracted = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "TỔNG HỢP Ý KIẾN GÓP Ý" in extracted
    assert "nguồn vốn đầu tư công" in " ".join(extracted.split())


def test_the_feed_does_not_grow_in_queries(client_for, meeting, department):
    def grow(n: int) -> None:
        for i in range(n):
            author = UserFactory(unit=department)
            Comment.objects.create(meeting=meeting, author=author, unit=department, body=f"Ý {i}")

    client = client_for("secretary")
    url = reverse("comments:feed", args=[meeting.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(5)
    count()  # the session's first request also reads what it keeps a while (the authenticator)
    few = count()
    grow(195)
    many = count()
    print(f"comments feed: {few} queries with 5 comments, {many} with 200")
    assert few == many


def test_the_receipt_page_shows_who_commented(client_for, meeting):
    _post(client_for("member"), meeting, body=TEXT)
    page = client_for("clerk").get(reverse("meetings:receipts", args=[meeting.pk]))
    ((row, _cells),) = page.context["table"]
    assert row.commented_at is not None


def test_the_feed_answers_304_while_nothing_changed(client_for, meeting, role_users):
    """Every open comments page polls the feed: an unchanged list costs an empty 304."""
    secretary = client_for("secretary")
    url = reverse("comments:feed", args=[meeting.pk])
    first = secretary.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and "no-cache" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        again = secretary.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    # From the cache alone: the session, the reader checked a moment ago, the comments' version.
    assert [q["sql"] for q in queries] == []
    # A new comment, an edited one, another reader: each gets the list again.
    _post(client_for("member"), meeting, body="Góp ý mới về dự toán")
    changed = secretary.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and "Góp ý mới về dự toán" in changed.content.decode()
    comment = Comment.objects.get(body="Góp ý mới về dự toán")
    etag = changed["ETag"]
    assert secretary.get(url, headers={"if-none-match": etag}).status_code == 304
    services.comment_edit(comment=comment, by=role_users["member"], body="Góp ý đã sửa")
    edited = secretary.get(url, headers={"if-none-match": etag})
    assert edited.status_code == 200 and "Góp ý đã sửa" in edited.content.decode()
    member = client_for("member").get(url, headers={"if-none-match": edited["ETag"]})
    assert member.status_code == 200  # the author's own list has an edit link
    # An account that may not read the comments gets no 304 for a guessed tag either.
    outsider = client_for("outsider").get(url, headers={"if-none-match": edited["ETag"]})
    assert outsider.status_code == 404
