"""The viewer's pages: the viewer, a version, the PDF it reads (Range, inline, no receipt), the
conversion's state; access (anonymous, wrong method, other unit, older versions), receipts,
query counts, the CSP and the static files pdf.js needs (a JavaScript type for .mjs)."""

import pytest
from django.urls import reverse

from documents.models import Download
from viewer.models import Rendition


@pytest.fixture
def member(client_for):
    return client_for("member")


def test_the_viewer_opens_a_pdf_and_records_one_receipt(member, meetings, role_users):
    document = meetings["document"]
    url = reverse("viewer:document", args=[document.pk])
    response = member.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    pdf_url = reverse("viewer:pdf", args=[document.current_id])
    assert f'data-pdf-url="{pdf_url}"' in page and 'data-range="true"' in page
    assert f'data-version-id="{document.current_id}"' in page
    assert 'id="viewer-notes"' in page and "js/viewer.js" in page
    assert "vendor/pdfjs/build/pdf.worker.min.mjs" in page
    # The notes app's panel comes in through the viewer's hook.
    assert 'id="notes-panel"' in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert " onclick=" not in page
    receipts = Download.objects.filter(document=document, user=role_users["member"])
    assert receipts.count() == 1
    assert receipts.get().version_id == document.current_id


def test_the_pdf_answers_ranges_inline_without_receipts(member, meetings, role_users):
    version = meetings["document"].current
    url = reverse("viewer:pdf", args=[version.pk])
    response = member.get(url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{version.size}"
    assert len(b"".join(response.streaming_content)) == 100
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    whole = member.get(url)
    assert whole.status_code == 200
    with version.file.open("rb") as handle:
        assert b"".join(whole.streaming_content) == handle.read()
    assert not Download.objects.filter(user=role_users["member"]).exists()


def test_on_s3_with_redirected_downloads_the_viewer_still_reads_through_the_site(
    s3_storage, settings, client_for, meetings
):
    """Downloads may go to the bucket by a presigned redirect; the viewer's reads may not, since
    the page's Content-Security-Policy allows fetches to the site only."""
    settings.DOCUMENT_DOWNLOADS = "redirect"
    member = client_for("member")
    document = meetings["document"]
    download = member.get(reverse("documents:download", args=[document.pk]))
    assert download.status_code == 302 and s3_storage.endpoint_url in download["Location"]
    response = member.get(reverse("viewer:pdf", args=[document.current_id]), HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    with document.current.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read(10)


def test_a_version_the_account_may_not_see_is_404(client_for, meetings):
    old = meetings["old_version"]
    for name in ("viewer:version", "viewer:pdf", "viewer:status"):
        assert client_for("member").get(reverse(name, args=[old.pk])).status_code == 404
        assert client_for("clerk").get(reverse(name, args=[old.pk])).status_code in (200, 404)
    assert client_for("clerk").get(reverse("viewer:version", args=[old.pk])).status_code == 200
    outsider = client_for("outsider")
    document = meetings["document"]
    assert outsider.get(reverse("viewer:document", args=[document.pk])).status_code == 404
    assert outsider.get(reverse("viewer:pdf", args=[document.current_id])).status_code == 404
    assert set(Download.objects.values_list("user__username", flat=True)) == {"clerk1"}


def test_wrong_method_and_anonymous(client, member, meetings):
    document = meetings["document"]
    url = reverse("viewer:document", args=[document.pk])
    assert member.post(url).status_code == 405
    assert member.post(reverse("viewer:pdf", args=[document.current_id])).status_code == 405
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )
    assert not Download.objects.exists()


def test_a_deleted_document_is_not_read(member, meetings):
    from django.utils import timezone

    from documents.models import Document

    document = meetings["document"]
    Document.objects.filter(pk=document.pk).update(deleted_at=timezone.now())
    assert member.get(reverse("viewer:document", args=[document.pk])).status_code == 404
    assert member.get(reverse("viewer:pdf", args=[document.current_id])).status_code == 404


def test_a_pending_conversion_polls_then_reloads_when_done(member, word_document):
    version = word_document.current
    page = member.get(reverse("viewer:document", args=[word_document.pk])).content.decode()
    status_url = reverse("viewer:status", args=[version.pk])
    assert "đang chuyển đổi" in page and f'hx-get="{status_url}"' in page
    assert 'hx-trigger="every 3s"' in page and "data-pdf-url" not in page
    assert reverse("documents:download", args=[word_document.pk]) in page
    assert member.get(reverse("viewer:pdf", args=[version.pk])).status_code == 404
    fragment = member.get(status_url)
    assert "every 3s" in fragment.content.decode() and "HX-Refresh" not in fragment
    Rendition.objects.filter(version=version).update(status=Rendition.Status.DONE)
    done = member.get(status_url)
    assert done["HX-Refresh"] == "true" and "every 3s" not in done.content.decode()


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("failed", "Không chuyển được tài liệu này sang PDF"),
        ("unavailable", "chưa cài LibreOffice"),
    ],
)
def test_a_failed_conversion_says_so_and_offers_the_download(member, word_document, status, words):
    Rendition.objects.filter(version=word_document.current).update(status=status, error="x")
    page = member.get(reverse("viewer:document", args=[word_document.pk])).content.decode()
    assert words in page and "every 3s" not in page
    assert reverse("documents:download", args=[word_document.pk]) in page


def test_a_converted_file_is_read_through_its_pdf(member, word_document):
    from django.core.files.base import ContentFile

    from meetings.tests.factories import pdf_bytes

    version = word_document.current
    rendition = Rendition.objects.get(version=version)
    content = pdf_bytes("bản chuyển đổi")
    rendition.file.save("x.pdf", ContentFile(content), save=False)
    rendition.status, rendition.size = Rendition.Status.DONE, len(content)
    rendition.save()
    page = member.get(reverse("viewer:document", args=[word_document.pk])).content.decode()
    assert f'data-pdf-url="{reverse("viewer:pdf", args=[version.pk])}"' in page
    response = member.get(reverse("viewer:pdf", args=[version.pk]), HTTP_RANGE="bytes=10-")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == content[10:]
    assert (
        response["Content-Disposition"]
        == "inline; filename*=utf-8''T%E1%BB%9D%20tr%C3%ACnh%20ng%C3%A2n%20s%C3%A1ch.pdf"
    )


def test_queries_do_not_grow_with_the_documents(
    member, meetings, role_users, django_assert_max_num_queries
):
    from meetings.tests.factories import make_document

    url = reverse("viewer:document", args=[meetings["document"].pk])
    member.get(url)
    for n in range(5):
        make_document(meetings["published"], role_users["clerk"], f"Phụ lục {n}.pdf")
    with django_assert_max_num_queries(25):
        assert member.get(url).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["vendor/pdfjs/build/pdf.min.mjs", "vendor/pdfjs/build/pdf.worker.min.mjs"],
)
def test_pdfjs_modules_are_served_as_javascript(client, path):
    response = client.get("/static/" + path)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] in ("text/javascript", "application/javascript")


def test_the_viewer_script_and_styles_are_served(client):
    for path in ("js/viewer.js", "css/viewer.css", "vendor/pdfjs/web/pdf_viewer.css"):
        assert client.get("/static/" + path).status_code == 200
