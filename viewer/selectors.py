"""Reads of the viewer: what a version is read as, and where the viewer fetches its PDF."""

from django.urls import reverse

from accounts.models import User
from documents.models import Document, DocumentVersion

from .convert import is_pdf
from .models import Rendition


def rendition_of(version: DocumentVersion) -> Rendition | None:
    return Rendition.objects.filter(version=version).first()


def version_is_pdf(version: DocumentVersion) -> bool:
    return is_pdf(version.content_type, version.original_name)


def pdf_source(document: Document, version: DocumentVersion, user: User) -> tuple[str | None, bool]:
    """(the URL the viewer's pdf.js fetches, whether it answers HTTP Range), or (None, False) when
    there is no PDF to show yet (a conversion pending, failed or impossible).

    The one place that decides it: restricted documents (B11) point it at a watermarked PDF.
    """
    if not user.has_perm("viewer.read_pdf", document):
        return None, False
    if version_is_pdf(version):
        return reverse("viewer:pdf", args=[version.pk]), True
    rendition = rendition_of(version)
    if rendition is not None and rendition.is_done:
        return reverse("viewer:pdf", args=[version.pk]), True
    return None, False
