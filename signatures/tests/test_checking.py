"""Checking the signatures of uploaded meeting documents (B14): intact and trusted, one byte
changed, an untrusted CA, an update appended after signing, an unsigned PDF; the document page
and the meeting page show it; the admin's trusted roots, and checking again when they change."""

import hashlib
from io import BytesIO, StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from core.samples import pdf_bytes
from documents.services import document_add, document_replace
from signatures.models import FoundSignature, TrustedRoot, VersionCheck

from .conftest import sign_with

pytestmark = pytest.mark.django_db

INTACT = FoundSignature.Integrity.INTACT
MODIFIED = FoundSignature.Integrity.MODIFIED
BROKEN = FoundSignature.Integrity.BROKEN


def _upload(meetings: dict, role_users: dict, data: bytes, name: str = "Quyết định.pdf") -> Any:
    # The check runs after the upload's commit (the queue runs it in place in the tests).
    with TestCase.captureOnCommitCallbacks(execute=True):
        document = document_add(
            meeting=meetings["published"],
            by=role_users["clerk"],
            uploaded=SimpleUploadedFile(name, data, content_type="application/pdf"),
            notify=False,
        )
    document.refresh_from_db()
    return document


def _found(document: Any) -> list[FoundSignature]:
    return list(FoundSignature.objects.filter(check_result__version=document.current))


@pytest.fixture
def signed(pki) -> bytes:
    return sign_with(pki.signer, [pki.root], pdf_bytes("Quyet dinh so 12"))


def test_signed_by_a_trusted_ca_is_intact_and_trusted(
    meetings, role_users, signed, trust, client_for
) -> None:
    document = _upload(meetings, role_users, signed)
    (found,) = _found(document)
    assert found.integrity == INTACT
    assert found.trusted is True
    assert found.signer_name == "Nguyễn Văn Ký"
    assert found.signer_organisation == "UBND tỉnh thử nghiệm"
    assert found.signed_at is not None
    page = client_for("member").get(reverse("documents:detail", args=[document.pk]))
    body = page.content.decode()
    assert "Chữ ký số trên tài liệu" in body
    assert "Nguyễn Văn Ký" in body
    assert "Nguyên vẹn từ khi ký" in body and "text-bg-success" in body
    assert "Chứng thư tin cậy" in body


def test_one_byte_changed_in_the_signed_range_is_broken(
    meetings, role_users, signed, trust
) -> None:
    assert signed.count(b"(Quyet dinh so 12)") == 1
    altered = signed.replace(b"(Quyet dinh so 12)", b"(Quyet dinh so 13)")
    document = _upload(meetings, role_users, altered)
    (found,) = _found(document)
    assert found.integrity == BROKEN
    assert found.signer_name == "Nguyễn Văn Ký"


def test_signed_by_an_untrusted_ca_is_not_trusted(
    meetings, role_users, pki, trust, client_for
) -> None:
    data = sign_with(pki.other_signer, [pki.other_root], pdf_bytes("Van ban la"))
    document = _upload(meetings, role_users, data)
    (found,) = _found(document)
    assert found.integrity == INTACT
    assert found.trusted is False
    body = client_for("member").get(reverse("documents:detail", args=[document.pk])).content
    assert "Chứng thư chưa được tin cậy" in body.decode()


def test_an_update_appended_after_signing_is_modified(
    meetings, role_users, signed, trust, client_for
) -> None:
    from pyhanko.pdf_utils.generic import NameObject, NumberObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[NameObject("/Rotate")] = NumberObject(90)
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(signed)
    document = _upload(meetings, role_users, out.getvalue())
    (found,) = _found(document)
    assert found.integrity == MODIFIED
    body = client_for("member").get(reverse("documents:detail", args=[document.pk])).content
    assert "Đã bị sửa đổi sau khi ký" in body.decode()


def test_two_signatures_are_both_listed(meetings, role_users, pki, signed, trust) -> None:
    both = sign_with(pki.other_signer, [pki.other_root], signed, field="Sig2")
    document = _upload(meetings, role_users, both)
    first, second = _found(document)
    # The first signature now has a later revision: a second signature is an allowed change.
    assert (first.signer_name, first.integrity, first.trusted) == ("Nguyễn Văn Ký", INTACT, True)
    assert (second.signer_name, second.integrity, second.trusted) == ("Người ký lạ", INTACT, False)


def test_an_unsigned_pdf_says_nothing(meetings, role_users, client_for, trust) -> None:
    document = _upload(meetings, role_users, pdf_bytes("Khong ky"))
    check = VersionCheck.objects.get(version=document.current)
    assert check.state == VersionCheck.State.DONE
    assert not check.signatures.exists()
    body = client_for("member").get(reverse("documents:detail", args=[document.pk])).content
    assert "Chữ ký số" not in body.decode()


def test_a_broken_pdf_and_a_word_file(meetings, role_users) -> None:
    from signatures.checking import check_version

    document = _upload(meetings, role_users, pdf_bytes("Tam"))
    # The upload refuses a file that is not a PDF; a file damaged on the disk later is reported.
    with document.current.file.open("wb") as handle:
        handle.write(b"%PDF-1.4\n garbage")
    check = check_version(document.current.pk)
    assert check is not None and check.state == VersionCheck.State.FAILED and check.error
    assert not check.signatures.exists()


def test_a_file_over_the_limit_is_not_read(meetings, role_users, signed, settings) -> None:
    settings.SIGNATURE_CHECK_MAX_BYTES = 100
    document = _upload(meetings, role_users, signed)
    check = VersionCheck.objects.get(version=document.current)
    assert check.state == VersionCheck.State.FAILED and check.error == "too large"


def test_a_new_version_is_checked_too(meetings, role_users, signed, trust) -> None:
    document = _upload(meetings, role_users, pdf_bytes("Ban dau"))
    assert not _found(document)
    with TestCase.captureOnCommitCallbacks(execute=True):
        document_replace(
            document=document,
            by=role_users["clerk"],
            uploaded=SimpleUploadedFile("Bản ký.pdf", signed, content_type="application/pdf"),
        )
    document.refresh_from_db()
    assert [f.integrity for f in _found(document)] == [INTACT]


def test_meeting_page_badge_and_bounded_queries(
    meetings, role_users, pki, trust, client_for, django_assert_max_num_queries
) -> None:
    url = reverse("meetings:detail", args=[meetings["published"].pk])
    client = client_for("member")
    _upload(meetings, role_users, sign_with(pki.signer, [pki.root], pdf_bytes("Mot")), "Một.pdf")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert body.count("Có chữ ký số") == 1
    for n in range(3):
        data = sign_with(pki.other_signer, [pki.other_root], pdf_bytes(f"Lan {n}"))
        _upload(meetings, role_users, data, f"Lạ {n}.pdf")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert body.count("Có chữ ký số") == 1
    assert body.count("Chữ ký số cần xem lại") == 3
    signature_queries = [q for q in many.captured_queries if "signatures_" in q["sql"]]
    assert len(signature_queries) == 1
    assert len(many.captured_queries) - len(few.captured_queries) <= 3  # not one per document

    document = meetings["document"]
    with django_assert_max_num_queries(40):
        client.get(reverse("documents:detail", args=[document.pk]))


def test_a_meetings_counts_from_the_kept_query_are_those_of_its_current_versions(
    meetings, role_users, pki, signed, trust
) -> None:
    """The meeting page's badges count the signatures of each document's current version: read
    from the query kept for the meeting (every version of its documents), they are those read
    for the versions alone; an earlier version's signature is not counted, nor another
    meeting's."""
    from accounts import kept
    from signatures.selectors import signature_counts

    trusted = _upload(meetings, role_users, signed, "Một.pdf")
    other = sign_with(pki.other_signer, [pki.other_root], pdf_bytes("Hai"))
    untrusted = _upload(meetings, role_users, other, "Hai.pdf")
    replaced = _upload(meetings, role_users, signed, "Ba.pdf")
    with TestCase.captureOnCommitCallbacks(execute=True):
        document_replace(
            document=replaced,
            by=role_users["clerk"],
            uploaded=SimpleUploadedFile(
                "Ba mới.pdf", pdf_bytes("Ba"), content_type="application/pdf"
            ),
        )
    replaced.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        elsewhere = document_add(
            meeting=meetings["draft"],
            by=role_users["clerk"],
            uploaded=SimpleUploadedFile("Bốn.pdf", signed, content_type="application/pdf"),
            notify=False,
        )
    elsewhere.refresh_from_db()
    assert elsewhere.meeting_id != trusted.meeting_id and _found(elsewhere)
    versions = [d.current_id for d in (trusted, untrusted, replaced)]
    kept.forget()
    counted = signature_counts(versions, meeting_id=trusted.meeting_id)
    assert counted == signature_counts(versions)
    assert counted == {
        trusted.current_id: {"total": 1, "fine": 1},
        untrusted.current_id: {"total": 1, "fine": 0},
    }
    assert [key[0] for key in kept._kept] == ["signatures.of_meeting"]
    assert all(form is not None for form in kept._kept.values())


# ---- the admin's trusted roots ---------------------------------------------------------------
def test_admin_adds_a_root_and_the_checks_run_again(
    meetings, role_users, signed, pki, client_for
) -> None:
    document = _upload(meetings, role_users, signed)
    assert [f.trusted for f in _found(document)] == [False]
    admin = client_for("admin")
    url = reverse("admin:signatures_trustedroot_add")
    pem = SimpleUploadedFile("root.pem", pki.root.pem)
    response = admin.post(url, {"label": "CA gốc quốc gia (thử)", "upload": pem})
    assert response.status_code == 302
    root = TrustedRoot.objects.get()
    assert root.fingerprint == hashlib.sha256(pki.root.der).hexdigest()
    assert "CA gốc thử nghiệm" in root.subject
    assert bytes(root.certificate) == pki.root.der
    assert [f.trusted for f in _found(document)] == [True]

    # Removing it: not trusted again.
    delete = reverse("admin:signatures_trustedroot_delete", args=[root.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    assert [f.trusted for f in _found(document)] == [False]


def test_admin_refuses_a_non_ca_certificate_garbage_and_a_duplicate(pki, client_for, trust) -> None:
    admin = client_for("admin")
    url = reverse("admin:signatures_trustedroot_add")
    leaf = admin.post(url, {"label": "Lá", "upload": SimpleUploadedFile("a.der", pki.signer.der)})
    assert "không phải của một tổ chức cấp chứng thư" in leaf.content.decode()
    junk = admin.post(url, {"label": "Rác", "upload": SimpleUploadedFile("a.pem", b"<script>")})
    assert "Tệp không phải chứng thư số" in junk.content.decode()
    twin = admin.post(url, {"label": "Lần 2", "upload": SimpleUploadedFile("r.der", pki.root.der)})
    assert "đã có trong danh sách tin cậy" in twin.content.decode()
    assert TrustedRoot.objects.count() == 1


def test_admin_action_and_command_check_again(
    meetings, role_users, signed, pki, client_for, trust
) -> None:
    document = _upload(meetings, role_users, signed)
    assert [f.trusted for f in _found(document)] == [True]
    TrustedRoot.objects.all().delete()  # without the admin: the results are stale
    assert [f.trusted for f in _found(document)] == [True]
    out = StringIO()
    call_command("recheck_signatures", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert [f.trusted for f in _found(document)] == [False]

    TrustedRoot.objects.create(
        label="again",
        certificate=pki.root.der,
        subject="x",
        fingerprint=hashlib.sha256(pki.root.der).hexdigest(),
        not_after=pki.root.cert.not_valid_after_utc,
    )
    response = client_for("admin").post(
        reverse("admin:signatures_trustedroot_changelist"),
        {"action": "check_again", "_selected_action": [TrustedRoot.objects.get().pk]},
    )
    assert response.status_code == 302
    assert [f.trusted for f in _found(document)] == [True]
