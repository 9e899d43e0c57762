"""Reads of the signatures app (B14)."""

from collections.abc import Iterable
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone

from accounts.kept import ANYONE, kept_rows
from accounts.models import User

from .models import FoundSignature, SignedPdf, TrustedRoot, VersionCheck


def signed_pdf(obj: Model) -> SignedPdf | None:
    """The latest signed PDF of a record, or None."""
    return (
        SignedPdf.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        .select_related("signer")
        .first()
    )


def signed_pdfs(model: type[Model], pks: Iterable[int]) -> dict[int, SignedPdf]:
    """The latest signed PDF of each of these records of one kind, by the record's pk, in one
    query (the archive of a year's meetings)."""
    latest: dict[int, SignedPdf] = {}
    rows = SignedPdf.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks)
    ).order_by("object_id", "-signed_at", "-id")
    for record in rows:
        latest.setdefault(record.object_id, record)
    return latest


def check_of(version_pk: int | None) -> VersionCheck | None:
    """The signature check of one document version, its signatures fetched (two queries)."""
    if version_pk is None:
        return None
    return (
        VersionCheck.objects.filter(version_id=version_pk)
        .prefetch_related(Prefetch("signatures", queryset=FoundSignature.objects.all()))
        .first()
    )


def signature_counts(
    version_pks: list[int], *, meeting_id: int | None = None
) -> dict[int, dict[str, int]]:
    """For a list of documents: per version, how many signatures and how many are fine (intact and
    trusted), in one query. Given the meeting all the documents belong to (a meeting page's),
    the signatures found in any version of its documents are read, from a query kept once per
    process (accounts.kept), and those of these versions counted: built for each list of
    versions, the query was 7 % of an organiser's meeting page in Python (sampled under load at
    100 000 meetings)."""
    counts: dict[int, dict[str, int]] = {}
    if meeting_id is None:
        rows: Iterable[tuple[int, str, bool]] = FoundSignature.objects.filter(
            check_result__version_id__in=version_pks
        ).values_list("check_result__version_id", "integrity", "trusted")
    else:
        wanted = set(version_pks)
        rows = [
            row
            for row in kept_rows(
                "signatures.of_meeting", _found_in_meeting, ANYONE, timezone.now(),
                ids={"meeting": meeting_id},
            )
            if row[0] in wanted
        ]  # fmt: skip
    for version_id, integrity, trusted in rows:
        entry = counts.setdefault(version_id, {"total": 0, "fine": 0})
        entry["total"] += 1
        entry["fine"] += int(integrity == FoundSignature.Integrity.INTACT and trusted)
    return counts


def _found_in_meeting(
    anyone: User, now: datetime, *, meeting: int
) -> QuerySet[FoundSignature, tuple[int, str, bool]]:
    return FoundSignature.objects.filter(
        check_result__version__document__meeting_id=meeting
    ).values_list("check_result__version_id", "integrity", "trusted")


def trusted_roots() -> list[asn1_x509.Certificate]:
    """The roots the province trusts, for checking signatures."""
    rows = TrustedRoot.objects.values_list("certificate", flat=True)
    return [asn1_x509.Certificate.load(bytes(der)) for der in rows]
