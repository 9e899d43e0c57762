"""Signing PDFs with a signer's key, and checking the signatures of uploaded PDFs (B14).

Keys: a PKCS#12 file is read from settings.SIGNING_KEY_DIR into memory for one signing and
dropped; a token's key never leaves the token (PKCS#11 signs on it). The passphrase or PIN comes
from the form and goes nowhere else: not the database, not the log, not the session.

Revocation (OCSP, CRL) is not checked: the server fetches nothing from the network. A timestamp is
added only if settings.SIGNING_TIMESTAMP_URL names a timestamping authority.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .checking import outside_event_loop
from .models import SignedPdf, SigningKey
from .registry import Signable

log = logging.getLogger(__name__)

REASON = "Ký duyệt"
DOUBLE_SUBMIT_SECONDS = 30


# ---- keys ---------------------------------------------------------------------------------------
def key_file(key: SigningKey) -> Path:
    """The key's file in the key store; a name with a directory in it is refused."""
    name = key.file_name.strip()
    if not name or Path(name).name != name or name.startswith("."):
        raise ValidationError(_("Tên tệp khoá không hợp lệ."), code="key_file")
    return Path(settings.SIGNING_KEY_DIR) / name


@dataclass(frozen=True)
class CertificateFacts:
    subject: str
    serial: str
    not_after: datetime


def certificate_facts(cert: x509.Certificate) -> CertificateFacts:
    return CertificateFacts(
        subject=cert.subject.rfc4514_string()[:500],
        serial=format(cert.serial_number, "X")[:100],
        not_after=cert.not_valid_after_utc,
    )


def read_pkcs12(key: SigningKey, passphrase: str) -> tuple[Any, x509.Certificate, list]:
    """The key, its certificate and the chain from the store's file, or a ValidationError that
    says which of the two went wrong (the file, the passphrase)."""
    path = key_file(key)
    try:
        data = path.read_bytes()
    except OSError:
        raise ValidationError(
            _("Không tìm thấy tệp khoá “%(name)s” trong kho khoá của máy chủ."),
            code="key_file",
            params={"name": key.file_name},
        ) from None
    try:
        private_key, cert, chain = pkcs12.load_key_and_certificates(
            data, passphrase.encode("utf-8") if passphrase else None
        )
    except ValueError:
        raise ValidationError(
            _("Mật khẩu của tệp khoá không đúng (hoặc tệp không phải PKCS#12)."),
            code="passphrase",
        ) from None
    if private_key is None or cert is None:
        raise ValidationError(_("Tệp khoá không có khoá bí mật và chứng thư."), code="key_file")
    return private_key, cert, list(chain or [])


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _pkcs12_signer(key: SigningKey, passphrase: str) -> tuple[Any, x509.Certificate]:
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    private_key, cert, chain = read_pkcs12(key, passphrase)
    der = private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    signer = _loaded_key_signer_class()(
        private_key=private_key,
        signing_cert=_asn1(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in chain]),
    )
    del der
    return signer, cert


def _loaded_key_signer_class() -> type:
    """pyHanko's SimpleSigner loads the key from its DER again for each signature it makes (two
    per PDF), and each load checks the RSA key anew (about as long as the signing itself); this
    one signs with the key already loaded from the PKCS#12 file."""
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class LoadedKeySigner(signers.SimpleSigner):
        def __init__(self, *, private_key: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._private_key = private_key

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = mechanism["algorithm"].native
            hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
            key = self._private_key
            if algorithm == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
                return key.sign(data, PKCS1v15(), hash_algorithm)
            if algorithm == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
                return key.sign(data, ECDSA(hash_algorithm))
            return super().sign_raw(data, digest_algorithm)

    return LoadedKeySigner


class _Pkcs11Session:
    """A session on the token for one signing, closed afterwards."""

    def __init__(self, key: SigningKey, pin: str) -> None:
        self.key, self.pin = key, pin
        self.session: Any = None

    def __enter__(self) -> tuple[Any, x509.Certificate]:
        import pkcs11
        from pyhanko.sign import pkcs11 as hanko_pkcs11

        module = settings.PKCS11_MODULE
        if not module:
            raise ValidationError(
                _("Máy chủ chưa được cấu hình thư viện thiết bị ký số (PKCS11_MODULE)."),
                code="pkcs11",
            )
        try:
            self.session = hanko_pkcs11.open_pkcs11_session(
                module,
                token_criteria=hanko_pkcs11.TokenCriteria(label=self.key.token_label),
                user_pin=self.pin,
            )
        except pkcs11.exceptions.PinIncorrect:
            raise ValidationError(_("Mã PIN của thiết bị ký số không đúng."), code="pin") from None
        except pkcs11.exceptions.PinLocked:
            raise ValidationError(_("Thiết bị ký số đã bị khoá mã PIN."), code="pin") from None
        except (pkcs11.exceptions.PKCS11Error, OSError, hanko_pkcs11.PKCS11Error) as error:
            log.warning("PKCS#11 token %r unavailable: %r", self.key.token_label, error)
            raise ValidationError(
                _(
                    "Không mở được thiết bị ký số “%(label)s”: "
                    "kiểm tra thiết bị đã cắm vào máy chủ."
                ),
                code="pkcs11",
                params={"label": self.key.token_label},
            ) from None
        signer = hanko_pkcs11.PKCS11Signer(
            self.session,
            cert_label=self.key.cert_label or self.key.key_label,
            key_label=self.key.key_label or self.key.cert_label,
        )
        try:
            cert = x509.load_der_x509_certificate(signer.signing_cert.dump())
        except Exception as error:  # noqa: BLE001  # the token holds no such certificate
            log.warning("PKCS#11 certificate not found: %r", error)
            self.session.close()
            raise ValidationError(
                _("Không tìm thấy chứng thư “%(label)s” trên thiết bị ký số."),
                code="pkcs11",
                params={"label": self.key.cert_label or self.key.key_label},
            ) from None
        return signer, cert

    def __exit__(self, *exc: object) -> None:
        if self.session is not None:
            self.session.close()


def keys_of(user: User) -> list[SigningKey]:
    return list(SigningKey.objects.filter(holder=user, is_active=True))


def _sign_bytes(data: bytes, signer: Any, field_name: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps

    timestamper = None
    if settings.SIGNING_TIMESTAMP_URL:
        timestamper = timestamps.HTTPTimeStamper(settings.SIGNING_TIMESTAMP_URL)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, reason=REASON, location=settings.SIGNING_LOCATION or None
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    except Exception:  # noqa: BLE001  # pyHanko raises several kinds on a malformed file
        raise ValidationError(_("Tệp PDF cần ký bị lỗi, không ký được."), code="pdf") from None
    out = outside_event_loop(signers.sign_pdf, writer, meta, signer, timestamper)
    return out.getvalue()


def sign(*, obj: Model, entry: Signable, key: SigningKey, secret: str, by: User) -> SignedPdf:
    """Sign the record's PDF with the signer's own key. The rule (entry.may_sign) is the view's."""
    if key.holder_id != by.pk or not key.is_active:
        raise ValidationError(_("Khoá ký số này không phải của bạn."), code="key")
    content_type = ContentType.objects.get_for_model(obj)
    # A double tap (or the form sent again) signs once: the same signer's signature of a moment
    # ago is the answer.
    recent = SignedPdf.objects.filter(
        content_type=content_type,
        object_id=obj.pk,
        signer=by,
        signed_at__gte=timezone.now() - timedelta(seconds=DOUBLE_SUBMIT_SECONDS),
    ).first()
    if recent is not None:
        return recent
    data = entry.pdf(obj)
    field_name = f"KySo{timezone.now():%Y%m%d%H%M%S%f}"
    if key.kind == SigningKey.Kind.PKCS11:
        with _Pkcs11Session(key, secret) as (signer, cert):
            signed = _sign_bytes(data, signer, field_name)
    else:
        signer, cert = _pkcs12_signer(key, secret)
        signed = _sign_bytes(data, signer, field_name)
        del signer
    facts = certificate_facts(cert)
    with transaction.atomic():
        if (key.subject, key.serial, key.not_after) != (
            facts.subject,
            facts.serial,
            facts.not_after,
        ):
            key.subject, key.serial, key.not_after = facts.subject, facts.serial, facts.not_after
            key.save(update_fields=["subject", "serial", "not_after", "updated_at"])
        record = SignedPdf(
            content_type=content_type,
            object_id=obj.pk,
            sha256=hashlib.sha256(signed).hexdigest(),
            size=len(signed),
            title=entry.title(obj)[:500],
            signer=by,
            key_label=key.label,
            cert_subject=facts.subject,
        )
        record.file.save("signed.pdf", ContentFile(signed), save=False)
        record.full_clean()
        record.save()
    return record


def key_fill_from_pkcs12(*, key: SigningKey, passphrase: str) -> None:
    """The admin checks a new PKCS#12 key once: the file opens and its certificate is read."""
    _private, cert, _chain = read_pkcs12(key, passphrase)
    facts = certificate_facts(cert)
    key.subject, key.serial, key.not_after = facts.subject, facts.serial, facts.not_after


# ---- trusted roots ------------------------------------------------------------------------------
def parse_root(data: bytes) -> x509.Certificate:
    """A CA certificate from PEM or DER, or a ValidationError saying why not."""
    try:
        if b"-----BEGIN" in data:
            cert = x509.load_pem_x509_certificate(data)
        else:
            cert = x509.load_der_x509_certificate(data)
    except ValueError:
        raise ValidationError(
            _("Tệp không phải chứng thư số (PEM hoặc DER)."), code="certificate"
        ) from None
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        constraints = None
    if constraints is None or not constraints.ca:
        raise ValidationError(
            _("Chứng thư này không phải của một tổ chức cấp chứng thư (CA)."), code="not_ca"
        )
    return cert
