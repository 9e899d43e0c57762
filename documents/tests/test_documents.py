"""Documents through the real pages: upload, metadata, versions, soft delete, downloads, receipt."""

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginEvent
from documents.models import Document, DocumentVersion, Download
from meetings.models import MeetingChange
from meetings.tests.factories import make_document, pdf_bytes

VN_NAME = "Báo cáo tình hình KT-XH quý III.pdf"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _add(client, meeting, *files, **extra):
    return client.post(
        reverse("meetings:add_documents", args=[meeting.pk]), {"files": list(files), **extra}
    )


@pytest.mark.usefixtures("each_storage")  # local disk, then S3
def test_upload_keeps_the_vietnamese_name_and_records_sha256(client_for, meetings) -> None:
    meeting = meetings["published"]
    content = pdf_bytes("quy III")
    response = _add(client_for("clerk"), meeting, SimpleUploadedFile(VN_NAME, content))
    assert response.status_code == 302
    document = Document.objects.get(meeting=meeting, title="Báo cáo tình hình KT-XH quý III")
    version = document.current
    assert version.original_name == VN_NAME
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.size == len(content)
    # Stored under a generated name: nothing of what the user typed reaches the file system.
    assert "Báo" not in version.file.name and ".pdf" not in version.file.name
    assert meeting.changes.filter(kind=MeetingChange.Kind.DOCUMENT_ADDED).exists()


@pytest.mark.usefixtures("each_storage")  # local disk, then S3
def test_download_gives_the_same_bytes_and_an_rfc6266_name(client_for, meetings) -> None:
    content = pdf_bytes("tai ve")
    document = make_document(
        meetings["published"], meetings["published"].created_by, VN_NAME, content
    )
    response = client_for("unit_clerk").get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert hashlib.sha256(_body(response)).hexdigest() == hashlib.sha256(content).hexdigest()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o" in disposition
    assert response["Accept-Ranges"] == "bytes"
    assert Download.objects.get(document=document).unit_id == response.wsgi_request.user.unit_id


@pytest.mark.usefixtures("each_storage")  # local disk, then S3
def test_range_requests_resume_and_count_once(client_for, meetings) -> None:
    content = pdf_bytes("range", pad=5000)
    document = make_document(
        meetings["published"], meetings["published"].created_by, "a.pdf", content
    )
    client = client_for("member")
    url = reverse("documents:download", args=[document.pk])
    head = client.get(url, headers={"range": "bytes=0-99"})
    assert head.status_code == 206
    assert _body(head) == content[:100]
    assert head["Content-Range"] == f"bytes 0-99/{len(content)}"
    tail = client.get(url, headers={"range": "bytes=100-"})
    assert tail.status_code == 206 and _body(tail) == content[100:]
    beyond = client.get(url, headers={"range": f"bytes={len(content) + 10}-"})
    assert beyond.status_code == 416
    assert Download.objects.filter(document=document).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200, "không phải PDF"),
        ("trang.pdf", b"<html><body>not a pdf</body></html>", "không phải PDF"),
        ("rong.pdf", b"", "rỗng"),
        ("script.exe", b"MZ\x90\x00" + b"\x00" * 200, ".exe"),
    ],
)
def test_wrong_files_are_refused_with_a_clear_message(client_for, meetings, name, content, message):
    meeting = meetings["published"]
    before = Document.objects.count(), DocumentVersion.objects.count()
    response = _add(client_for("clerk"), meeting, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert message in errors and name in errors
    assert (Document.objects.count(), DocumentVersion.objects.count()) == before


@override_settings(DOCUMENT_MAX_UPLOAD_BYTES=1024)
def test_an_over_limit_file_is_refused(client_for, meetings) -> None:
    response = _add(
        client_for("clerk"),
        meetings["published"],
        SimpleUploadedFile("to.pdf", pdf_bytes(pad=4096)),
    )
    assert response.status_code == 200
    assert "MB" in " ".join(response.context["form"].errors["files"])
    assert not Document.objects.filter(title="to").exists()


@pytest.mark.usefixtures("each_storage")  # local disk, then S3
def test_one_bad_file_in_a_batch_keeps_the_good_ones(client_for, meetings) -> None:
    meeting = meetings["published"]
    response = _add(
        client_for("clerk"),
        meeting,
        SimpleUploadedFile("tot.pdf", pdf_bytes()),
        SimpleUploadedFile("xau.pdf", b"not a pdf at all"),
    )
    assert response.status_code == 200
    assert Document.objects.filter(meeting=meeting, title="tot").exists()
    assert not Document.objects.filter(meeting=meeting, title="xau").exists()


def test_names_with_paths_and_control_characters_are_cleaned(client_for, meetings) -> None:
    upload = SimpleUploadedFile("x.pdf", pdf_bytes())
    upload.name = "../../etc/Tờ\x00 trình\x1b.pdf"
    _add(client_for("clerk"), meetings["published"], upload)
    version = DocumentVersion.objects.latest("pk")
    assert version.original_name == "Tờ trình.pdf"
    assert ".." not in version.file.name


@pytest.mark.usefixtures("each_storage")  # local disk, then S3
def test_replace_keeps_older_versions_for_the_organiser(client_for, meetings) -> None:
    document, old = meetings["document"], meetings["old_version"]
    assert document.current.number == 2
    organiser = client_for("clerk").get(reverse("documents:detail", args=[document.pk]))
    assert [v.number for v in organiser.context["versions"]] == [2, 1]
    invited = client_for("member").get(reverse("documents:detail", args=[document.pk]))
    assert invited.context["versions"] == []
    old_file = client_for("clerk").get(reverse("documents:download_version", args=[old.pk]))
    assert _body(old_file) == old.file.open("rb").read()
    assert Download.objects.get(version=old).user.username == "clerk1"


def test_soft_delete_needs_a_reason_and_waits_for_retention(client_for, meetings) -> None:
    document = meetings["document"]
    url = reverse("documents:delete", args=[document.pk])
    client = client_for("clerk")
    assert client.post(url, {"reason": ""}).status_code == 200
    early = client.post(url, {"reason": "Gửi nhầm"})
    assert "Có thể xoá từ ngày" in early.content.decode()
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now() - timedelta(days=200))
    assert client.post(url, {"reason": "Gửi nhầm"}).status_code == 302
    document.refresh_from_db()
    assert document.deleted_reason == "Gửi nhầm" and document.deleted_by.username == "clerk1"
    assert DocumentVersion.objects.filter(document=document).count() == 2  # nothing erased
    member = client_for("member")
    assert member.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert member.get(reverse("documents:detail", args=[document.pk])).status_code == 404


def test_draft_documents_are_the_organisers_only(client_for, meetings) -> None:
    document = meetings["draft_document"]
    for role in ["member", "unit_clerk", "unit_leader", "secretary", "outsider"]:
        client = client_for(role)
        assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404


def test_guessing_ids_reveals_nothing(client_for, meetings) -> None:
    outsider = client_for("outsider")
    for pk in [meetings["document"].pk, 999999]:
        for name in ["documents:detail", "documents:download"]:
            response = outsider.get(reverse(name, args=[pk]))
            assert response.status_code == 404
            assert b"K\xe1\xba\xbf ho\xe1\xba\xa1ch" not in response.content


@pytest.mark.usefixtures("each_storage")  # local disk, then S3
def test_download_all_is_one_zip_with_the_current_versions(client_for, meetings) -> None:
    meeting = meetings["published"]
    make_document(meeting, meeting.created_by, VN_NAME, pdf_bytes("zip"))
    response = client_for("unit_leader").get(reverse("meetings:download_all", args=[meeting.pk]))
    body = _body(response)
    assert int(response["Content-Length"]) == len(body)
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert sorted(names) == sorted(["Kế hoạch v2.pdf", VN_NAME])
    assert Download.objects.filter(meeting=meeting).count() == 2


def test_downloads_count_on_the_sign_in_record(client, meetings, role_users, password) -> None:
    client.post(reverse("accounts:login"), {"username": "member1", "password": password})
    event = LoginEvent.objects.get(user=role_users["member"], kind=LoginEvent.Kind.SUCCESS)
    url = reverse("documents:download", args=[meetings["document"].pk])
    _body(client.get(url))
    _body(client.get(url))
    event.refresh_from_db()
    assert event.documents_downloaded == 2


@override_settings(DOCUMENTS_X_ACCEL_REDIRECT="/protected-media/")
def test_nginx_can_serve_the_bytes(client_for, meetings) -> None:
    document = meetings["document"]
    response = client_for("member").get(reverse("documents:download", args=[document.pk]))
    assert response["X-Accel-Redirect"] == "/protected-media/" + document.current.file.name
    assert response.content == b""
    assert "filename*=" in response["Content-Disposition"]


def test_metadata_can_be_edited(client_for, meetings) -> None:
    document = meetings["document"]
    response = client_for("clerk").post(
        reverse("documents:edit", args=[document.pk]),
        {
            "title": "Kế hoạch năm 2027",
            "number": "12/KH-UBND",
            "issued_on": "20/11/2026",
            "order": 5,
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.number, document.issued_on.isoformat()) == ("12/KH-UBND", "2026-11-20")


def test_the_same_file_sent_twice_is_one_document(client_for, meetings) -> None:
    meeting = meetings["published"]
    client = client_for("clerk")
    content = pdf_bytes("hai lan")
    _add(client, meeting, SimpleUploadedFile("Tờ trình.pdf", content))
    _add(client, meeting, SimpleUploadedFile("Tờ trình.pdf", content))
    assert Document.objects.filter(meeting=meeting, title="Tờ trình").count() == 1
    # A different file with the same name is a new document.
    _add(client, meeting, SimpleUploadedFile("Tờ trình.pdf", pdf_bytes("khac")))
    assert Document.objects.filter(meeting=meeting, title="Tờ trình").count() == 2
