"""A small PKI built in the test with `cryptography`: a trusted root CA and its signer, and an
untrusted CA with its own signer; PDFs signed with pyHanko directly (as a signer's own software
would), and a registered record to sign through the product: the meeting document itself."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from cryptography.x509.oid import NameOID

from signatures import registry
from signatures.checking import outside_event_loop
from signatures.models import SigningKey, TrustedRoot

PASSPHRASE = "Mat-khau-dung-2026"


@dataclass
class Party:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(Encoding.PEM)

    @property
    def key_der(self) -> bytes:
        return self.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _cert(subject: x509.Name, key: Any, issuer: "Party | None", *, ca: bool) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * (10 if ca else 2)))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    return builder.sign((issuer.key if issuer else key), hashes.SHA256())


def _party(cn: str, org: str, issuer: Party | None, *, ca: bool) -> Party:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return Party(key, _cert(_name(cn, org), key, issuer, ca=ca))


@dataclass
class Pki:
    root: Party
    signer: Party
    other_root: Party
    other_signer: Party

    def p12(self, party: Party, chain: list[Party], passphrase: str = PASSPHRASE) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"ky-so",
            party.key,
            party.cert,
            [p.cert for p in chain],
            BestAvailableEncryption(passphrase.encode()),
        )


@pytest.fixture(scope="session")
def pki() -> Pki:
    root = _party("CA gốc thử nghiệm", "Ban Cơ yếu thử nghiệm", None, ca=True)
    other = _party("CA lạ", "Tổ chức không tin cậy", None, ca=True)
    return Pki(
        root=root,
        signer=_party("Nguyễn Văn Ký", "UBND tỉnh thử nghiệm", root, ca=False),
        other_root=other,
        other_signer=_party("Người ký lạ", "Tổ chức không tin cậy", other, ca=False),
    )


def sign_with(party: Party, chain: list[Party], data: bytes, field: str = "Sig1") -> bytes:
    """A PDF signed by someone's own software (pyHanko), outside the product."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(party.der),
        signing_key=asn1_keys.PrivateKeyInfo.load(party.key_der),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(p.der) for p in chain]
        ),
    )
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=field, reason="Ký duyệt")
    out = outside_event_loop(signers.sign_pdf, writer, meta, signer)
    return out.getvalue()


@pytest.fixture
def trust(pki: Pki, db: Any) -> TrustedRoot:
    import hashlib

    return TrustedRoot.objects.create(
        label="CA gốc thử nghiệm",
        certificate=pki.root.der,
        subject=pki.root.cert.subject.rfc4514_string(),
        fingerprint=hashlib.sha256(pki.root.der).hexdigest(),
        not_after=pki.root.cert.not_valid_after_utc,
    )


@pytest.fixture
def key_dir(tmp_path: Path, settings: Any, pki: Pki) -> Path:
    folder = tmp_path / "signing-keys"
    folder.mkdir(mode=0o700)
    (folder / "nguyen-van-ky.p12").write_bytes(pki.p12(pki.signer, [pki.root]))
    settings.SIGNING_KEY_DIR = folder
    return folder


@pytest.fixture
def clerk_key(role_users: dict, key_dir: Path) -> SigningKey:
    return SigningKey.objects.create(
        label="Khoá của văn thư",
        kind=SigningKey.Kind.PKCS12,
        holder=role_users["clerk"],
        file_name="nguyen-van-ky.p12",
    )


def _document_pdf(document: Any) -> bytes:
    with document.current.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def signable_documents() -> Any:
    """The meeting document registered as a signable record for the contract's tests: its
    organiser signs it, whoever sees it sees the signed PDF."""
    from documents.models import Document

    entry = registry.register(
        Document,
        pdf=_document_pdf,
        may_sign="documents.change_document",
        may_view="documents.view_document",
        title=lambda d: d.title,
    )
    yield entry
    registry.unregister(Document)


@pytest.fixture(autouse=True)
def _processing(document_processing):
    """These tests are about what happens to each new version (documents.processing): on."""
