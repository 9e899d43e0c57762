"""Documents on S3-compatible storage (P5), against a real S3 server (moto_server on loopback):
reads ask only for the bytes wanted, presigned redirects carry the Vietnamese name and expire,
a bucket refusing writes is a form error that loses nothing, an unreachable storage a 503 page.
The same upload, download, Range, version, ZIP, comment-file and export tests as on local disk run
on S3 through the `each_storage` fixture in their own files."""

import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from api.tests.conftest import make_token_for
from core.testing.s3 import _free_port, storage_settings
from documents.models import Document, Download
from documents.storage import presigned_url
from meetings.tests.factories import make_document, pdf_bytes
from packs.services import pack_build, pack_request

VN_NAME = "Báo cáo tình hình KT-XH quý III.pdf"


def _body(response) -> bytes:
    # The test client closes the response at the end of the content, keeping the database
    # connection open (an explicit close() would close it on PostgreSQL).
    return b"".join(response.streaming_content)


def _fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback moto)
        return answer.read(), answer.headers


def _get_object_ranges(s3_storage):
    """The Range of every GetObject the app's storage sends (botocore's own event hooks)."""
    from django.core.files.storage import default_storage

    seen: list[str | None] = []
    client = default_storage.connection.meta.client  # type: ignore[attr-defined]

    def record(params, **kwargs):
        seen.append(params.get("Range"))

    client.meta.events.register("provide-client-params.s3.GetObject", record)
    return seen


def test_a_range_is_read_from_s3_with_a_ranged_get(s3_storage, client_for, meetings) -> None:
    content = pdf_bytes("range", pad=300_000)
    document = make_document(
        meetings["published"], meetings["published"].created_by, "a.pdf", content
    )
    ranges = _get_object_ranges(s3_storage)
    url = reverse("documents:download", args=[document.pk])
    response = client_for("member").get(url, headers={"range": "bytes=1000-1999"})
    assert response.status_code == 206
    assert _body(response) == content[1000:2000]
    assert ranges == ["bytes=1000-1999"], "only the bytes asked for are fetched from the bucket"
    assert document.current.file.name in set(s3_storage.keys())


@override_settings(DOCUMENT_DOWNLOADS="redirect")
def test_redirect_mode_sends_a_presigned_url_with_the_vietnamese_name(
    s3_storage, client_for, meetings
) -> None:
    content = pdf_bytes("presigned", pad=2000)
    document = make_document(
        meetings["published"], meetings["published"].created_by, VN_NAME, content
    )
    response = client_for("unit_clerk").get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(s3_storage.endpoint_url + "/"), location
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert query["X-Amz-Expires"] == [str(settings.DOCUMENT_PRESIGNED_SECONDS)]
    assert "private" in response["Cache-Control"]
    # The app still decided and still records the receipt.
    assert Download.objects.filter(document=document).count() == 1

    data, headers = _fetch(location)
    assert data == content
    assert headers["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o%20t%C3%ACnh" in headers["Content-Disposition"]
    assert headers["Content-Disposition"].startswith("attachment")


@override_settings(DOCUMENT_DOWNLOADS="redirect")
def test_redirect_mode_is_decided_by_the_app_each_time(s3_storage, client_for, meetings) -> None:
    document = meetings["document"]
    url = reverse("documents:download", args=[document.pk])
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302  # to the sign-in page
    assert not client_for("anonymous").get(url)["Location"].startswith(s3_storage.endpoint_url)
    assert not Download.objects.filter(document=document).exists()


def test_a_presigned_url_is_signed_for_a_short_time(s3_storage, meetings) -> None:
    # moto does not enforce expiry itself, so the signed validity is read from the URL: S3 and
    # its compatibles refuse the URL once X-Amz-Date + X-Amz-Expires has passed.
    version = meetings["document"].current
    before = datetime.now(UTC).replace(microsecond=0)
    url = presigned_url(
        version.file.storage,
        version.file.name,
        filename=version.original_name,
        content_type=version.content_type,
        expire=30,
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["30"]
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before <= signed_at <= datetime.now(UTC)
    assert query["X-Amz-Signature"][0] and query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert _fetch(url)[0] == s3_storage.read(version.file.name)


def test_a_bucket_refusing_writes_is_a_form_error_and_loses_nothing(
    s3_storage, client_for, meetings
) -> None:
    document = meetings["document"]
    before = {v.pk: v.file.name for v in document.versions.all()}
    keys = s3_storage.keys()
    missing = storage_settings(s3_storage.endpoint_url, "hkg-bucket-that-does-not-exist")
    with override_settings(**missing):
        client = client_for("clerk")
        added = client.post(
            reverse("meetings:add_documents", args=[meetings["published"].pk]),
            {"files": [SimpleUploadedFile("Mới.pdf", pdf_bytes("moi"))]},
        )
        replaced = client.post(
            reverse("documents:replace", args=[document.pk]),
            {"file": SimpleUploadedFile("Kế hoạch v3.pdf", pdf_bytes("v3")), "note": "v3"},
        )
    for response in (added, replaced):
        assert response.status_code == 200
        assert "kho lưu trữ tài liệu đang không nhận tệp" in response.content.decode()
    assert not Document.objects.filter(title="Mới").exists()
    document.refresh_from_db()
    assert {v.pk: v.file.name for v in document.versions.all()} == before
    assert s3_storage.keys() == keys
    download = client_for("member").get(reverse("documents:download", args=[document.pk]))
    assert _body(download) == s3_storage.read(document.current.file.name)


def test_an_unreachable_storage_is_a_503_page(s3_storage, client_for, meetings) -> None:
    down = storage_settings(f"http://127.0.0.1:{_free_port()}", s3_storage.name)
    document = meetings["document"]
    with override_settings(**down):
        for url in (
            reverse("documents:download", args=[document.pk]),
            reverse("meetings:download_all", args=[meetings["published"].pk]),
        ):
            response = client_for("member").get(url)
            assert response.status_code == 503, url
            assert "Kho lưu trữ tài liệu đang không trả lời" in response.content.decode()
            assert response["Retry-After"] == "60"
    assert not Download.objects.filter(document=document).exists(), "no receipt without a file"


def test_an_unreachable_storage_is_a_503_in_the_api(s3_storage, role_users, meetings) -> None:
    """The API says the same in its own error shape, for a document and for the meeting pack,
    with Retry-After, and records no download."""
    document = meetings["document"]
    meeting = meetings["published"]
    member = document.meeting.created_by
    pack = pack_request(meeting=meeting, user=member)
    assert pack_build(pack_id=pack.pk).is_done
    client = Client(HTTP_AUTHORIZATION=f"Bearer {make_token_for(role_users)('clerk', 'read')}")
    down = storage_settings(f"http://127.0.0.1:{_free_port()}", s3_storage.name)
    with override_settings(**down):
        for url in (
            reverse("api_v1:document_download", args=[document.pk]),
            reverse("api_v1:meeting_pack_download", args=[meeting.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 503, url
            assert response.json()["code"] == "storage_unavailable", url
            assert "Kho lưu trữ tài liệu tạm thời không trả lời" in response.json()["message"]
            assert response["Retry-After"] == "60"
    assert not Download.objects.filter(document=document).exists(), "no receipt without a file"


@override_settings(DOCUMENTS_X_ACCEL_REDIRECT="/protected/")
def test_x_accel_redirect_is_for_local_disk_only(s3_storage, client_for, meetings) -> None:
    document = meetings["document"]
    response = client_for("member").get(reverse("documents:download", args=[document.pk]))
    assert not response.has_header("X-Accel-Redirect")
    assert _body(response) == s3_storage.read(document.current.file.name)
