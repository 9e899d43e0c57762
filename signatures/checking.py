"""Checking the signatures of uploaded PDFs (B14).

When a meeting document's version is saved, signatures.apps queues `check_version` after the
commit (django-q2; in the request if the queue is unreachable). The check is bounded: only PDFs,
at most settings.SIGNATURE_CHECK_MAX_BYTES, and it reads the file once. It is in the queue and not
in the upload's request because pyHanko's difference analysis of a large PDF with many revisions
can take seconds.

For each signature: who signed (the certificate's CN and O), when (the time the signer's software
wrote, or the timestamp's), whether the file changed since ("intact"; "modified": revisions were
added after the signature; "broken": the signed bytes changed), and whether the certificate chains
to a root the admin trusts (signatures.TrustedRoot). No revocation check (nothing is fetched).
"""

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from documents.models import DocumentVersion

from .models import FoundSignature, VersionCheck
from .selectors import trusted_roots

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Finding:
    field_name: str
    signer_name: str
    signer_organisation: str
    signed_at: datetime | None
    integrity: str
    trusted: bool
    detail: str = ""


def _names(cert: Any) -> tuple[str, str]:
    subject = cert.subject.native if cert is not None else {}
    return str(subject.get("common_name", ""))[:300], str(subject.get("organization_name", ""))[
        :300
    ]


def _only_signed_since(status: Any, later_signatures: set[str]) -> bool:
    """The revisions after this signature add validation data, or nothing, or only fill in the
    signature fields of the later signatures (a co-signer signing): no other change."""
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel

    level = status.modification_level
    if level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        return True
    result = status.diff_result
    return (
        level == ModificationLevel.FORM_FILLING
        and isinstance(result, DiffResult)
        and set(result.changed_form_fields) <= later_signatures
    )


def check_pdf(data: bytes, roots: list) -> list[Finding]:
    """The signatures of one PDF against the trusted roots; an unreadable file raises ValueError."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as error:  # noqa: BLE001  # pyHanko raises several kinds on a bad file
        raise ValueError(str(error)[:500]) from error

    def later_fields(sig: Any) -> set[str]:
        return {
            other.field_name
            for other in embedded
            if other.signed_revision > sig.signed_revision and other.field_name
        }

    findings = []
    for sig in embedded:
        context = ValidationContext(
            trust_roots=list(roots), allow_fetching=False, revocation_mode="soft-fail"
        )
        try:
            cert = sig.signer_cert
        except Exception:  # noqa: BLE001  # no certificate: reported as broken below
            cert = None
        name, organisation = _names(cert)
        try:
            status = validate_pdf_signature(sig, signer_validation_context=context)
        except Exception as error:  # noqa: BLE001  # a malformed signature: broken
            findings.append(
                Finding(
                    sig.field_name or "",
                    name,
                    organisation,
                    sig.self_reported_timestamp,
                    FoundSignature.Integrity.BROKEN,
                    False,
                    str(error)[:500],
                )
            )
            continue
        if not (status.intact and status.valid):
            integrity = FoundSignature.Integrity.BROKEN
        elif status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
            status.docmdp_ok is not False and _only_signed_since(status, later_fields(sig))
        ):
            integrity = FoundSignature.Integrity.INTACT
        else:
            integrity = FoundSignature.Integrity.MODIFIED
        signed_at = status.signer_reported_dt
        if status.timestamp_validity is not None:
            signed_at = status.timestamp_validity.timestamp
        findings.append(
            Finding(
                sig.field_name or "",
                name,
                organisation,
                signed_at,
                integrity,
                bool(status.trusted),
                "" if status.trusted else str(getattr(status, "trust_problem_indic", "") or ""),
            )
        )
    return findings


def outside_event_loop(function: Callable[..., T], *args: Any) -> T:
    """pyHanko's sync API runs its own asyncio loop; in a thread that already runs one (an ASGI
    server's, a test driver's) it runs in a worker thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def looks_like_pdf(version: Any) -> bool:
    return version.content_type == "application/pdf" or version.original_name.lower().endswith(
        ".pdf"
    )


def check_version(version_pk: int) -> VersionCheck | None:
    """Check (again) one version; the previous result is replaced."""

    version = DocumentVersion.objects.filter(pk=version_pk).first()
    if version is None or not looks_like_pdf(version):
        return None
    error, findings = "", []
    if version.size > settings.SIGNATURE_CHECK_MAX_BYTES:
        error = "too large"
    else:
        try:
            with version.file.open("rb") as handle:
                data = handle.read(settings.SIGNATURE_CHECK_MAX_BYTES + 1)
            findings = outside_event_loop(check_pdf, data, trusted_roots())
        except (OSError, ValueError) as problem:
            log.info("Signature check of version %s failed: %r", version_pk, problem)
            error = str(problem)[:500] or problem.__class__.__name__
    with transaction.atomic():
        VersionCheck.objects.filter(version=version).delete()
        check = VersionCheck.objects.create(
            version=version,
            state=VersionCheck.State.FAILED if error else VersionCheck.State.DONE,
            checked_at=timezone.now(),
            error=error,
        )
        FoundSignature.objects.bulk_create(
            FoundSignature(
                check_result=check,
                order=i,
                field_name=f.field_name[:200],
                signer_name=f.signer_name,
                signer_organisation=f.signer_organisation,
                signed_at=f.signed_at,
                integrity=f.integrity,
                trusted=f.trusted,
                detail=f.detail[:500],
            )
            for i, f in enumerate(findings, start=1)
        )
    return check


def queue_check(version_pk: int) -> None:
    from django_q.tasks import async_task

    try:
        async_task("signatures.checking.check_version", version_pk)
    except Exception:  # noqa: BLE001  # no broker: check here rather than never
        log.warning("Task queue unreachable; checking signatures in the request.")
        check_version(version_pk)


def recheck_signed() -> int:
    """After the trusted roots change: check again every version that carries signatures."""
    pks = list(
        VersionCheck.objects.filter(signatures__isnull=False)
        .values_list("version_id", flat=True)
        .distinct()
    )
    for pk in pks:
        check_version(pk)
    return len(pks)


def queue_recheck() -> None:
    from django_q.tasks import async_task

    try:
        async_task("signatures.checking.recheck_signed")
    except Exception:  # noqa: BLE001
        log.warning("Task queue unreachable; checking signatures again in the request.")
        recheck_signed()
