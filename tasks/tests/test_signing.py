"""An issued notice is signed through the signatures app (B14): its office signs it, the member
of a unit with a task cannot, and the PDF everybody downloads is then the signed one."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from signatures.models import SignedPdf, SigningKey
from signatures.tests.conftest import PASSPHRASE, key_dir, pki  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_signed_notice_is_what_units_download(issued, role_users, client_for, key_dir):  # noqa: F811
    notice = issued["notice"]
    key = SigningKey.objects.create(
        label="Khoá của văn phòng",
        kind=SigningKey.Kind.PKCS12,
        holder=role_users["clerk"],
        file_name="nguyen-van-ky.p12",
    )
    sign_url = reverse("signatures:sign", args=["tasks.notice", notice.pk])
    assert client_for("member").get(sign_url).status_code == 403
    assert client_for("admin").get(sign_url).status_code == 404
    clerk = client_for("clerk")
    detail = reverse("tasks:notice_detail", args=[notice.pk])
    assert sign_url in clerk.get(detail).content.decode()
    response = clerk.post(sign_url, {"key": key.pk, "secret": PASSPHRASE, "next": detail})
    assert response.status_code == 302
    record = SignedPdf.objects.get()
    with record.file.open("rb") as handle:
        signed = handle.read()
    downloaded = client_for("unit_clerk").get(reverse("tasks:notice_pdf", args=[notice.pk]))
    assert downloaded.status_code == 200 and downloaded.content == signed
    assert PdfReader(io.BytesIO(downloaded.content)).get_fields()
