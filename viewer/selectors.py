"""Reads of the viewer: what a version is read as, and where the viewer fetches its PDF."""

from typing import Any

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
        # A restricted document's reader reads a copy stamped with their name, made whole for
        # each opening (no Range) by documents.watermark.
        readable = document.restricted and user.has_perm("documents.view_document", document)
        if readable and (version_is_pdf(version) or finished_pdf(version) is not None):
            return reverse("documents:watermarked_pdf", args=[version.pk]), False
        return None, False
    if version_is_pdf(version):
        return reverse("viewer:pdf", args=[version.pk]), True
    rendition = rendition_of(version)
    if rendition is not None and rendition.is_done:
        return reverse("viewer:pdf", args=[version.pk]), True
    return None, False


def finished_pdf(version: DocumentVersion) -> tuple[Any, str, int] | None:
    """(storage, name, size) of the version's finished conversion to PDF, for
    documents.watermark (registered in ViewerConfig.ready)."""
    if version_is_pdf(version):
        return None
    rendition = rendition_of(version)
    if rendition is None or not rendition.is_done or rendition.size is None:
        return None
    return rendition.file.storage, rendition.file.name, rendition.size
