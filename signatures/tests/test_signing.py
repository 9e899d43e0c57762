"""Signing through the product with a signer's PKCS#12 key (B14): the sign page, the passphrase,
the signed PDF kept and downloaded, and checked by the product's own check."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from signatures.checking import check_pdf
from signatures.models import FoundSignature, SignedPdf, SigningKey
from signatures.selectors import trusted_roots

from .conftest import PASSPHRASE

pytestmark = pytest.mark.django_db


def _sign_url(document: Any) -> str:
    return reverse("signatures:sign", args=["documents.document", document.pk])


def _post(client: Any, document: Any, key: SigningKey, secret: str = PASSPHRASE) -> Any:
    return client.post(
        _sign_url(document),
        {"key": key.pk, "secret": secret, "next": f"/tai-lieu/{document.pk}/"},
    )


def test_sign_page_offers_the_signers_own_keys(
    client_for, meetings, clerk_key, signable_documents, role_users
) -> None:
    SigningKey.objects.create(
        label="Khoá của thư ký",
        kind=SigningKey.Kind.PKCS12,
        holder=role_users["secretary"],
        file_name="khac.p12",
    )
    response = client_for("clerk").get(_sign_url(meetings["document"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Khoá của văn thư" in body
    assert "Khoá của thư ký" not in body
    assert 'type="password"' in body


def test_signing_end_to_end(
    client_for, meetings, clerk_key, signable_documents, trust, role_users
) -> None:
    document = meetings["document"]
    response = _post(client_for("clerk"), document, clerk_key)
    assert response.status_code == 302
    assert response["Location"] == f"/tai-lieu/{document.pk}/"
    record = SignedPdf.objects.get()
    assert record.object == document
    assert record.signer == role_users["clerk"]
    assert record.key_label == "Khoá của văn thư"
    assert "Nguyễn Văn Ký" in record.cert_subject
    clerk_key.refresh_from_db()
    assert "Nguyễn Văn Ký" in clerk_key.subject and clerk_key.not_after is not None

    # Whoever sees the document downloads the signed PDF; the product's check finds it sound.
    download = client_for("member").get(reverse("signatures:download", args=[record.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == record.sha256
    (finding,) = check_pdf(data, trusted_roots())
    assert finding.integrity == FoundSignature.Integrity.INTACT
    assert finding.trusted is True
    assert finding.signer_name == "Nguyễn Văn Ký"
    assert finding.signer_organisation == "UBND tỉnh thử nghiệm"

    # The audit log holds the signing, with who signed.
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(record).get()
    assert entry.actor == role_users["clerk"]


def test_no_key_material_in_the_database_or_the_media(
    client_for, meetings, clerk_key, signable_documents, pki, key_dir: Path
) -> None:
    assert _post(client_for("clerk"), meetings["document"], clerk_key).status_code == 302
    secrets = [
        pki.signer.key_der,
        (key_dir / "nguyen-van-ky.p12").read_bytes(),
        PASSPHRASE.encode(),
    ]
    # The private key's big numbers, as they would appear in a text dump, too.
    numbers = pki.signer.key.private_numbers()
    digits = [str(numbers.d).encode(), format(numbers.p, "x").encode()]
    for model in apps.get_models():
        for row in model._default_manager.all().values_list():
            for value in row:
                blob = value.encode() if isinstance(value, str) else value
                if isinstance(blob, memoryview):
                    blob = bytes(blob)
                if isinstance(blob, bytes | dict | list):
                    blob = blob if isinstance(blob, bytes) else str(blob).encode()
                    for secret in secrets + digits:
                        assert secret not in blob, f"key material in {model.__name__}"
    # The p12 file is not copied into the media storage.
    p12 = (key_dir / "nguyen-van-ky.p12").read_bytes()
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file() and path.stat().st_size == len(p12):
            assert path.read_bytes() != p12


def test_wrong_passphrase_says_so_and_stores_nothing(
    client_for, meetings, clerk_key, signable_documents
) -> None:
    response = _post(client_for("clerk"), meetings["document"], clerk_key, secret="sai-mat-khau")
    assert response.status_code == 400
    assert "Mật khẩu của tệp khoá không đúng" in response.content.decode()
    assert "sai-mat-khau" not in response.content.decode()
    assert not SignedPdf.objects.exists()


def test_missing_key_file_says_so(
    client_for, meetings, clerk_key, signable_documents, key_dir: Path
) -> None:
    (key_dir / "nguyen-van-ky.p12").unlink()
    response = _post(client_for("clerk"), meetings["document"], clerk_key)
    assert response.status_code == 400
    assert "Không tìm thấy tệp khoá" in response.content.decode()
    assert not SignedPdf.objects.exists()


def test_a_key_with_a_path_in_its_name_is_refused(
    client_for, meetings, clerk_key, signable_documents
) -> None:
    SigningKey.objects.filter(pk=clerk_key.pk).update(file_name="../nguyen-van-ky.p12")
    response = _post(client_for("clerk"), meetings["document"], clerk_key)
    assert response.status_code == 400
    assert "Tên tệp khoá không hợp lệ" in response.content.decode()
    assert not SignedPdf.objects.exists()


def test_someone_elses_key_is_not_offered(
    client_for, meetings, clerk_key, signable_documents, role_users
) -> None:
    clerk_key.holder = role_users["secretary"]
    clerk_key.save()
    response = _post(client_for("clerk"), meetings["document"], clerk_key)
    assert response.status_code == 400
    assert not SignedPdf.objects.exists()


def test_a_double_submit_signs_once_a_later_signing_is_kept_too(
    client_for, meetings, clerk_key, signable_documents
) -> None:
    from datetime import timedelta

    from signatures.selectors import signed_pdf

    client = client_for("clerk")
    assert _post(client, meetings["document"], clerk_key).status_code == 302
    assert _post(client, meetings["document"], clerk_key).status_code == 302
    first = SignedPdf.objects.get()
    SignedPdf.objects.update(signed_at=first.signed_at - timedelta(minutes=5))
    assert _post(client, meetings["document"], clerk_key).status_code == 302
    assert SignedPdf.objects.count() == 2
    assert signed_pdf(meetings["document"]) == SignedPdf.objects.order_by("-pk").first() != first


@pytest.mark.parametrize(
    ("role", "expected"),
    [("member", 403), ("secretary", 403), ("outsider", 404), ("admin", 404)],
)
def test_sign_access(role, expected, client_for, meetings, clerk_key, signable_documents) -> None:
    client = client_for(role)
    assert client.get(_sign_url(meetings["document"])).status_code == expected
    assert _post(client, meetings["document"], clerk_key).status_code == expected
    assert not SignedPdf.objects.exists()


def test_sign_anonymous_wrong_method_unknown(
    client_for, meetings, clerk_key, signable_documents
) -> None:
    url = _sign_url(meetings["document"])
    anonymous = client_for("anonymous").post(url, {"key": clerk_key.pk, "secret": PASSPHRASE})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login") + "?next=")
    clerk = client_for("clerk")
    assert clerk.put(url).status_code == 405
    assert clerk.get(reverse("signatures:sign", args=["meetings.meeting", 1])).status_code == 404
    assert (
        clerk.get(reverse("signatures:sign", args=["documents.document", 999999])).status_code
        == 404
    )
    # A draft meeting's document does not exist for those who may not see it.
    assert client_for("member").get(_sign_url(meetings["draft_document"])).status_code == 404
    assert not SignedPdf.objects.exists()


def test_download_access(client_for, meetings, clerk_key, signable_documents) -> None:
    assert _post(client_for("clerk"), meetings["document"], clerk_key).status_code == 302
    url = reverse("signatures:download", args=[SignedPdf.objects.get().pk])
    assert client_for("secretary").get(url).status_code == 200
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("admin").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302
    assert client_for("member").post(url).status_code == 405


def test_download_of_an_unregistered_kind_is_404(
    client_for, meetings, clerk_key, signable_documents
) -> None:
    from documents.models import Document
    from signatures import registry

    assert _post(client_for("clerk"), meetings["document"], clerk_key).status_code == 302
    registry.unregister(Document)
    url = reverse("signatures:download", args=[SignedPdf.objects.get().pk])
    assert client_for("clerk").get(url).status_code == 404


def _box(user: Any, obj: Any) -> str:
    request = RequestFactory().get("/trang/")
    request.user = user
    template = Template('{% include "signatures/_sign.html" with object=obj %}')
    return template.render(Context({"request": request, "obj": obj}))


def test_sign_box_include(
    client_for, meetings, clerk_key, signable_documents, role_users, django_assert_max_num_queries
) -> None:
    document = meetings["document"]
    clerk_box = _box(role_users["clerk"], document)
    assert "Ký số" in clerk_box and _sign_url(document) in clerk_box
    assert "Đã ký số" not in clerk_box
    assert _sign_url(document) not in _box(role_users["member"], document)

    assert _post(client_for("clerk"), document, clerk_key).status_code == 302
    record = SignedPdf.objects.get()
    with django_assert_max_num_queries(8):
        member_box = _box(role_users["member"], document)
    assert "Đã ký số" in member_box
    assert reverse("signatures:download", args=[record.pk]) in member_box
    assert role_users["clerk"].get_full_name() in member_box
    assert _sign_url(document) not in member_box
    assert "Ký số lại" in _box(role_users["clerk"], document)
    # Not a registered kind: nothing at all.
    assert _box(role_users["clerk"], meetings["published"]).strip() == ""


def test_admin_checks_a_new_pkcs12_key(client_for, role_users, key_dir) -> None:
    admin = client_for("admin")
    url = reverse("admin:signatures_signingkey_add")
    base = {
        "label": "Khoá giám đốc",
        "kind": "pkcs12",
        "holder": role_users["unit_leader"].pk,
        "file_name": "nguyen-van-ky.p12",
        "is_active": "on",
    }
    wrong = admin.post(url, {**base, "passphrase": "sai"})
    assert wrong.status_code == 200
    assert "Mật khẩu của tệp khoá không đúng" in wrong.content.decode()
    missing = admin.post(url, {**base, "file_name": "khong-co.p12"})
    assert "Không có tệp này trong kho khoá" in missing.content.decode()
    escape = admin.post(url, {**base, "file_name": "../etc/passwd"})
    assert "Tên tệp khoá không hợp lệ" in escape.content.decode()
    assert not SigningKey.objects.exists()
    assert admin.post(url, {**base, "passphrase": PASSPHRASE}).status_code == 302
    key = SigningKey.objects.get()
    assert "Nguyễn Văn Ký" in key.subject and key.serial and key.not_after
