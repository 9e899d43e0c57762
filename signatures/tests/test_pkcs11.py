"""Signing with a key on a PKCS#11 token (B14), through SoftHSM: a token initialised in a temporary
folder, the test CA's signer key and certificate imported with python-pkcs11 (the key marked
sensitive and not extractable), then the product's sign page with the PIN."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.urls import reverse

from signatures.checking import check_pdf
from signatures.models import FoundSignature, SignedPdf, SigningKey
from signatures.selectors import trusted_roots

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "123456"
TOKEN = "hkg-thu-nghiem"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (Path(SOFTHSM).exists() and shutil.which("softhsm2-util")),
        reason="SoftHSM is not installed (make test installs softhsm2)",
    ),
]


@pytest.fixture(scope="module")
def token(tmp_path_factory: Any, pki: Any) -> str:
    import os

    import pkcs11
    from pkcs11 import Attribute
    from pkcs11.util.rsa import decode_rsa_private_key
    from pkcs11.util.x509 import decode_x509_certificate

    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\n"
    )
    # Read by the library when it loads, in this process (python-pkcs11) and in softhsm2-util.
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(  # noqa: S603
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            TOKEN,
            "--so-pin",
            "87654321",
            "--pin",
            PIN,
        ],
        check=True,
        capture_output=True,
    )
    lib = pkcs11.lib(SOFTHSM)
    with lib.get_token(token_label=TOKEN).open(rw=True, user_pin=PIN) as session:
        pkcs1 = pki.signer.key.private_bytes(
            Encoding.DER, PrivateFormat.TraditionalOpenSSL, NoEncryption()
        )
        key = decode_rsa_private_key(pkcs1)
        key.update(
            {
                Attribute.LABEL: "ky-so",
                Attribute.ID: b"\x01",
                Attribute.TOKEN: True,
                Attribute.PRIVATE: True,
                Attribute.SENSITIVE: True,
                Attribute.EXTRACTABLE: False,
            }
        )
        session.create_object(key)
        cert = decode_x509_certificate(pki.signer.der)
        cert.update({Attribute.LABEL: "ky-so", Attribute.ID: b"\x01", Attribute.TOKEN: True})
        session.create_object(cert)
    return TOKEN


@pytest.fixture
def token_key(token: str, role_users: dict, settings: Any) -> SigningKey:
    settings.PKCS11_MODULE = SOFTHSM
    return SigningKey.objects.create(
        label="USB token của văn thư",
        kind=SigningKey.Kind.PKCS11,
        holder=role_users["clerk"],
        token_label=token,
        key_label="ky-so",
        cert_label="ky-so",
    )


def _post(client: Any, document: Any, key: SigningKey, pin: str) -> Any:
    url = reverse("signatures:sign", args=["documents.document", document.pk])
    return client.post(url, {"key": key.pk, "secret": pin})


def test_sign_with_a_token(
    client_for, meetings, token_key, signable_documents, trust, role_users
) -> None:
    response = _post(client_for("clerk"), meetings["document"], token_key, PIN)
    assert response.status_code == 302
    record = SignedPdf.objects.get()
    assert record.key_label == "USB token của văn thư"
    assert "Nguyễn Văn Ký" in record.cert_subject
    with record.file.open("rb") as handle:
        (finding,) = check_pdf(handle.read(), trusted_roots())
    assert finding.integrity == FoundSignature.Integrity.INTACT
    assert finding.trusted is True
    assert finding.signer_name == "Nguyễn Văn Ký"
    token_key.refresh_from_db()
    assert token_key.serial and token_key.not_after is not None


def test_wrong_pin_says_so_and_stores_nothing(
    client_for, meetings, token_key, signable_documents
) -> None:
    response = _post(client_for("clerk"), meetings["document"], token_key, "000000")
    assert response.status_code == 400
    assert "Mã PIN của thiết bị ký số không đúng" in response.content.decode()
    assert not SignedPdf.objects.exists()


def test_unknown_token_or_label_says_so(
    client_for, meetings, token_key, signable_documents
) -> None:
    SigningKey.objects.filter(pk=token_key.pk).update(token_label="khong-co")
    response = _post(client_for("clerk"), meetings["document"], token_key, PIN)
    assert response.status_code == 400
    assert "Không mở được thiết bị ký số" in response.content.decode()
    SigningKey.objects.filter(pk=token_key.pk).update(token_label=TOKEN, cert_label="khac")
    response = _post(client_for("clerk"), meetings["document"], token_key, PIN)
    assert response.status_code == 400
    assert "Không tìm thấy chứng thư" in response.content.decode()
    assert not SignedPdf.objects.exists()


def test_no_token_library_configured(
    client_for, meetings, token_key, signable_documents, settings
) -> None:
    settings.PKCS11_MODULE = ""
    response = _post(client_for("clerk"), meetings["document"], token_key, PIN)
    assert response.status_code == 400
    assert "PKCS11_MODULE" in response.content.decode()
    assert not SignedPdf.objects.exists()
