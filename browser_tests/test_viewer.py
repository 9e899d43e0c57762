"""The document viewer (B2) in Chromium: a 40-page PDF of several MB on a tablet and on a 390 px
phone opens at its first page before the whole file has arrived (Range requests, 206, counted
from the network itself), goes to page 30, zooms, finds a phrase; a Word file converted by
LibreOffice shows its Vietnamese text in the text layer. CSP in force, axe-core on every page."""

import io
import random
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Unit, User
from browser_tests.conftest import PHONE, TABLET_PORTRAIT, shot, sign_in, visit
from documents.models import Document, Download
from documents.services import document_add
from meetings import services
from meetings.tests.factories import make_meeting
from viewer.convert import soffice
from viewer.models import Rendition

pytestmark = pytest.mark.browser

PAGES_WATCH = """
document.addEventListener("viewer:pagerendered", e => {
  e.detail.pageElement.setAttribute("data-test-rendered", String(e.detail.pageNumber));
  if (e.detail.pageNumber === 1 && window.__firstPageAt === undefined) {
    window.__firstPageAt = performance.now();
  }
});
document.addEventListener("viewer:ready", e => { window.__ready = e.detail; });
"""


def big_pdf(pages: int = 40) -> bytes:
    """Text on every page (WeasyPrint), then with pikepdf an image of noise that does not
    compress on each page, in the page's own resources as in the PDFs Word and LibreOffice write,
    so the file is several MB and a page needs only its own bytes."""
    import pikepdf
    from weasyprint import HTML

    body = "".join(
        f'<section style="page-break-after: always"><h1>Trang {n}: Báo cáo kinh tế - xã hội</h1>'
        f"<p>Nội dung mục {n}: Nghị quyết số {n} về đầu tư công trung hạn.</p></section>"
        for n in range(1, pages + 1)
    )
    text = HTML(string=f"<html><body>{body}</body></html>").write_pdf()
    rng = random.Random(14)
    side = 220
    with pikepdf.open(io.BytesIO(text)) as pdf:
        for page in pdf.pages:
            image = pikepdf.Stream(pdf, rng.randbytes(side * side * 3))
            image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
            image.Width, image.Height, image.BitsPerComponent = side, side, 8
            image.ColorSpace = pikepdf.Name.DeviceRGB
            shared = page.obj.Resources
            own = pikepdf.Dictionary(dict(shared.items()))
            own.XObject = pikepdf.Dictionary({"/Noise": image})
            page.obj.Resources = own
            page.contents_add(pdf.make_stream(b"q 300 0 0 300 100 150 cm /Noise Do Q"))
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _meeting():
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(days=2)
    meeting = make_meeting(
        by=clerk,
        title="Họp đánh giá tình hình kinh tế - xã hội quý III",
        start_at=start,
        end_at=start + timedelta(hours=2),
        secretary=User.objects.get(username="thuky"),
        location=clerk.unit.locations.first(),
        units=[Unit.objects.get(code="STC")],
    )
    services.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    return meeting, clerk


def _pdf_bytes_watch(page: Page, pdf_path: str) -> dict:
    """Counts the bytes the browser received for the PDF's URL, aborted requests included, from
    Chromium's network events (what crossed the wire), and the statuses of those requests."""
    seen: dict = {"ids": set(), "bytes": 0, "statuses": []}
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")

    def sent(event: dict) -> None:
        if pdf_path in event["request"]["url"]:
            seen["ids"].add(event["requestId"])

    def received(event: dict) -> None:
        if event["requestId"] in seen["ids"]:
            seen["bytes"] += event["dataLength"]

    def answered(event: dict) -> None:
        if event["requestId"] in seen["ids"]:
            seen["statuses"].append(event["response"]["status"])
            seen.setdefault("ranges", []).append(
                event["response"]["headers"].get("Content-Range")
                or event["response"]["headers"].get("content-range")
            )

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.dataReceived", received)
    cdp.on("Network.responseReceived", answered)
    return seen


def _read_big_pdf(page: Page, live_server, document: Document, name: str) -> None:
    version = document.current
    pdf_path = reverse("viewer:pdf", args=[version.pk])
    watch = _pdf_bytes_watch(page, pdf_path)
    page.add_init_script(PAGES_WATCH)
    page.goto(live_server.url + reverse("viewer:document", args=[document.pk]))
    expect(page.locator('[data-test-rendered="1"]')).to_be_attached(timeout=30_000)
    # What had arrived when page 1 was drawn: ranges, far fewer bytes than the file.
    fetched_at_first_page = watch["bytes"]
    assert 206 in watch["statuses"], watch["statuses"]
    assert fetched_at_first_page < version.size / 2, (
        fetched_at_first_page,
        version.size,
        watch.get("ranges"),
    )
    ready = page.evaluate("window.__ready")
    assert ready == {"documentId": document.pk, "versionId": version.pk, "pageCount": 40}
    expect(page.locator('[data-test-rendered="1"] .textLayer')).to_contain_text("Trang 1:")
    visit(page, f"viewer-{name}")
    if name == "tablet":
        shot(page, "viewer-tablet")

    # Go to page 30 with the box.
    page.fill("#viewer-page", "30")
    page.locator("#viewer-page").press("Enter")
    expect(page.locator('[data-test-rendered="30"] .textLayer')).to_contain_text("Trang 30:")
    assert page.evaluate("window.hkgViewer.currentPage()") == 30
    assert watch["bytes"] < version.size, (watch["bytes"], version.size)

    # Zoom: the page grows, and is drawn again at the new scale.
    before = page.locator('.page[data-page-number="30"]').bounding_box()["width"]
    zoom_in = page.locator('[data-viewer-action="zoom-in"]')
    if zoom_in.is_visible():
        zoom_in.click()
    else:  # the phone's toolbar keeps "fit width"; the zoom is the same code
        page.evaluate("document.querySelector('[data-viewer-action=\"zoom-in\"]').click()")
    page.wait_for_function(
        f"document.querySelector('.page[data-page-number=\"30\"]').getBoundingClientRect().width"
        f" > {before * 1.2}"
    )
    expect(page.locator('[data-test-rendered="30"] .textLayer')).to_contain_text("Trang 30:")
    page.locator('[data-viewer-action="fit"]').click()

    # Search, diacritics ignored: "nghi quyet so 35" finds "Nghị quyết số 35" on page 35.
    page.locator('[data-viewer-action="search"]').click()
    page.fill("#viewer-query", "nghi quyet so 35")
    page.locator("#viewer-query").press("Enter")
    expect(page.locator("#viewer-search-status")).to_contain_text("1 / 1", timeout=30_000)
    expect(page.locator('.page[data-page-number="35"] .highlight.selected')).to_have_text(
        "Nghị quyết số 35", timeout=20_000
    )
    assert page.evaluate("window.hkgViewer.currentPage()") == 35
    visit(page, f"viewer-{name}-search")
    if name == "phone":
        shot(page, "viewer-phone")


def test_a_large_pdf_on_a_tablet_and_a_phone(demo, live_server, new_context):
    meeting, clerk = _meeting()
    upload = SimpleUploadedFile("Báo cáo quý III.pdf", big_pdf(), "application/pdf")
    document = document_add(meeting=meeting, by=clerk, uploaded=upload)
    assert document.current.size > 3 * 1024 * 1024
    member = User.objects.get(username="lanhdao.stc")
    for name, options in (("tablet", TABLET_PORTRAIT), ("phone", PHONE)):
        page = new_context(**options).new_page()
        sign_in(page, live_server, member.username)
        _read_big_pdf(page, live_server, document, name)
    # One receipt per opening, not one per Range request.
    assert Download.objects.filter(document=document, user=member).count() == 2


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_a_word_file_is_read_through_its_pdf(demo, live_server, new_context, document_processing):
    import docx

    meeting, clerk = _meeting()
    word = docx.Document()
    word.add_heading("Tờ trình về việc phê duyệt dự toán ngân sách", level=1)
    word.add_paragraph("Kính gửi Ủy ban nhân dân tỉnh: đề nghị xem xét, quyết định.")
    buffer = io.BytesIO()
    word.save(buffer)
    upload = SimpleUploadedFile("Tờ trình.docx", buffer.getvalue())
    # The task queue runs in the request here (sync): converted when the upload commits.
    document = document_add(meeting=meeting, by=clerk, uploaded=upload)
    rendition = Rendition.objects.get(version=document.current)
    assert rendition.status == Rendition.Status.DONE, rendition.error
    page = new_context(**TABLET_PORTRAIT).new_page()
    page.add_init_script(PAGES_WATCH)
    sign_in(page, live_server, "lanhdao.stc")
    page.goto(live_server.url + reverse("viewer:document", args=[document.pk]))
    layer = page.locator('[data-test-rendered="1"] .textLayer')
    expect(layer).to_contain_text("Ủy ban nhân dân tỉnh", timeout=30_000)
    expect(layer).to_contain_text("dự toán ngân sách")
    visit(page, "viewer-docx")
