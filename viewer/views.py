"""The document viewer (B2): a document's current version or a given one, read in the page with
pdf.js; Office files through their PDF conversion (a Rendition).

Contract with the apps that plug into the viewer (personal notes, restricted documents, B11):

* Panels: the page has `<aside id="viewer-notes" data-document-id=".." data-version-id="..">`.
  Inside it the viewer includes, in order, every template registered with
  `viewer.panels.register("app/_viewer_panel.html")` (call it in your AppConfig.ready(); the
  viewer never imports the apps above it):
  `{% for t in viewer_panels %}{% include t %}{% endfor %}`. The included template sees the page's
  context: `document`, `version`, `meeting`, `page_count`, `csrf_token`, `request`, `user`.
  Put your own <script src=... defer> / <link> in that template (the CSP allows 'self' only).
* Events, dispatched on `document` by static/js/viewer.js (CustomEvent, in `event.detail`):
  `viewer:ready`        {documentId, versionId, pageCount}
  `viewer:pagerendered` {pageNumber, pageElement, textLayerElement, scale}
                        (again after every zoom: the page was drawn anew; pdf.js's TextLayer
                        is in textLayerElement, so text can be selected)
  `viewer:pagechange`   {pageNumber}
  and `window.hkgViewer` = {goToPage(n), currentPage(), pageCount, documentId, versionId}.
  The address `#page=N` opens page N.
* Watermark: `viewer.selectors.pdf_source(document, version, user)` gives the PDF's URL (a
  restricted document's reader gets documents:watermarked_pdf, stamped); the context's
  `watermark_text` (documents.watermark, for restricted documents) is drawn over every page.

Receipts (M7): opening the viewer records one documents.Download for the version (a reading),
like a download; the PDF's bytes, fetched by pdf.js in many Range requests, record nothing.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.shortcuts import get_object_for
from documents.models import Document, DocumentVersion
from documents.services import download_record
from documents.storage import answers_503_when_storage_down
from documents.streaming import file_response
from documents.watermark import watermark_text

from .models import Rendition
from .panels import registered
from .selectors import pdf_source, rendition_of, version_is_pdf


def _document(request: AuthenticatedHttpRequest, pk: int) -> Document:
    document = get_object_for(
        request.user,
        "viewer.read_document",
        Document.objects.select_related("meeting", "current"),
        pk=pk,
        meeting__deleted_at__isnull=True,
    )
    if document.is_deleted or document.current is None:
        raise Http404
    return document


def _version(request: AuthenticatedHttpRequest, pk: int) -> DocumentVersion:
    """A version of a document the account reads; an older one only for those who may see old
    versions (the organiser side, as for downloads, M3)."""
    version = (
        DocumentVersion.objects.select_related("document__meeting", "document__current")
        .filter(pk=pk, document__deleted_at__isnull=True)
        .filter(document__meeting__deleted_at__isnull=True)
        .first()
    )
    if version is None or not request.user.has_perm("viewer.read_document", version.document):
        raise Http404
    if version.document.current_id != version.pk and not request.user.has_perm(
        "documents.view_old_versions", version.document
    ):
        raise Http404
    return version


def viewer_strings() -> dict[str, str]:
    """What viewer.js says, translated here (the script holds no words of its own)."""
    return {
        "pageOf": _("/ %s"),
        "page": _("Trang %s"),
        "loadFailed": _(
            "Không mở được tài liệu trong trang. Hãy tải lại trang, hoặc tải bản gốc về máy."
        ),
        "searching": _("Đang tìm…"),
        "found": _("Kết quả %(n)s / %(total)s"),
        "notFound": _("Không tìm thấy “%s”."),
        "outOfRange": _("Tài liệu có %s trang."),
    }


def _page(
    request: AuthenticatedHttpRequest, document: Document, version: DocumentVersion
) -> HttpResponse:
    user: User = request.user
    version.document = document
    url, supports_range = pdf_source(document, version, user)
    rendition = None if version_is_pdf(version) else rendition_of(version)
    download_record(version=version, user=user, session_key=request.session.session_key)
    context = {
        "document": document,
        "version": version,
        "meeting": document.meeting,
        "is_current": document.current_id == version.pk,
        "pdf_url": url,
        "supports_range": supports_range,
        "rendition": rendition,
        "page_count": rendition.pages if rendition is not None else None,
        "may_download": user.has_perm("documents.download_document", document),
        "original_download": user.has_perm("documents.download_original", document),
        "viewer_panels": registered(),
        # Restricted documents (B11): the reader's name, unit, time and the site over each page.
        "watermark_text": watermark_text(user) if document.restricted else None,
        "viewer_strings": viewer_strings(),
    }
    return render(request, "viewer/viewer.html", context)


@require_GET
@login_required
def document_viewer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The current version of a document."""
    document = _document(request, pk)
    assert document.current is not None
    return _page(request, document, document.current)


@require_GET
@login_required
def version_viewer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    return _page(request, version.document, version)


@require_GET
@login_required
@answers_503_when_storage_down
def version_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The PDF the viewer reads, whole or the range asked for: the version itself when it is a
    PDF, its conversion otherwise (404 until the conversion is done). Shown inline, no receipt."""
    version = _version(request, pk)
    if not request.user.has_perm("viewer.read_pdf", version.document):
        raise Http404
    stem = version.original_name.rsplit(".", 1)[0] or "tai-lieu"
    if version_is_pdf(version):
        storage, name, size, etag = (
            version.file.storage,
            version.file.name,
            version.size,
            version.sha256,
        )
    else:
        rendition = rendition_of(version)
        if rendition is None or not rendition.is_done or rendition.size is None:
            raise Http404
        finished = int(rendition.finished_at.timestamp()) if rendition.finished_at else 0
        storage, name, size = rendition.file.storage, rendition.file.name, rendition.size
        etag = f"{version.sha256[:40]}-pdf-{finished}"
    try:
        return file_response(
            request,
            storage=storage,
            name=name,
            size=size,
            filename=f"{stem}.pdf",
            content_type="application/pdf",
            etag=etag,
            as_attachment=False,
            # pdf.js reads with fetch, which the page's CSP (connect-src 'self') keeps on the
            # site: a redirect to the S3 bucket would be refused, so the bytes come through here.
            redirect=False,
        )
    except FileNotFoundError as error:
        raise Http404 from error


@require_GET
@login_required
def conversion_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The conversion's state, polled by htmx while it is pending; once it is done the page
    reloads into the viewer (HX-Refresh)."""
    version = _version(request, pk)
    rendition = rendition_of(version)
    response = render(
        request,
        "viewer/_status.html",
        {"version": version, "document": version.document, "rendition": rendition},
    )
    if rendition is not None and rendition.status == Rendition.Status.DONE:
        response["HX-Refresh"] = "true"
    response["Cache-Control"] = "no-store"
    return response
