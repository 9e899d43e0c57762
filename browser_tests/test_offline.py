"""Reading offline in Chromium: a unit's account keeps a meeting on its tablet, the network is
cut, it opens the meeting (from the device, saying so and from when), reads page 3 of a Word
file's PDF in the viewer, finds a word in it and pins a note; meanwhile the clerk uploads a new
version; the network comes back: the reader is told of the new version, and the note is on the
server exactly once; signing out leaves no cache and no IndexedDB data behind."""

import io
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit, User
from browser_tests.conftest import READING_TABLET, shot, sign_in, visit
from browser_tests.test_viewer import big_pdf
from documents.services import document_add, document_replace
from meetings import services
from meetings.tests.factories import make_meeting
from notes.models import Note
from viewer.convert import soffice
from viewer.models import Rendition

pytestmark = pytest.mark.browser

PAGES_WATCH = """
document.addEventListener("viewer:pagerendered", e => {
  e.detail.pageElement.setAttribute("data-test-rendered", String(e.detail.pageNumber));
});
"""
NOTE_TEXT = "Đề nghị làm rõ nguồn vốn (ghi khi ngoại tuyến)"
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "offline-tablet.png"


def _word_file() -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    word = docx.Document()
    for n in range(1, 5):
        word.add_heading(f"Trang {n}: Tờ trình dự toán ngân sách", level=1)
        word.add_paragraph(f"Mục {n}. Kính gửi Ủy ban nhân dân tỉnh: đề nghị xem xét, quyết định.")
        if n == 3:
            word.add_paragraph("Phương án phân bổ vốn đầu tư công cho giai đoạn tới.")
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _meeting_with_a_word_file():
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(days=2)
    meeting = make_meeting(
        by=clerk,
        title="Họp thẩm định dự toán ngân sách năm sau",
        start_at=start,
        end_at=start + timedelta(hours=2),
        secretary=User.objects.get(username="thuky"),
        location=clerk.unit.locations.first(),
        units=[Unit.objects.get(code="STC")],
    )
    services.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    upload = SimpleUploadedFile("Tờ trình dự toán.docx", _word_file())
    document = document_add(meeting=meeting, by=clerk, uploaded=upload)
    rendition = Rendition.objects.get(version=document.current)
    assert rendition.status == Rendition.Status.DONE, rendition.error
    assert rendition.pages >= 4
    return meeting, document


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_keep_read_and_note_offline_then_sign_out(
    demo, live_server, new_context, document_processing
) -> None:
    meeting, document = _meeting_with_a_word_file()
    reader = User.objects.get(username="stc")  # the Department of Finance's unit account
    context = new_context(**READING_TABLET, service_workers="allow")
    context.add_init_script(PAGES_WATCH)
    page = context.new_page()
    sign_in(page, live_server, reader.username)
    meeting_url = live_server.url + reverse("meetings:detail", args=[meeting.pk])
    viewer_url = live_server.url + reverse("viewer:document", args=[document.pk])

    # Keep the meeting: the bar runs, then the space it takes and until when.
    page.goto(meeting_url)
    page.locator('[data-offline-action="keep"]').click()
    status = page.locator("[data-offline-status]")
    expect(status).to_contain_text("Đã lưu trên máy", timeout=60_000)
    expect(page.locator('[data-offline-action="remove"]')).to_be_visible()
    caches = page.evaluate("caches.keys()")
    assert any(name.endswith(f"-m{meeting.pk}") for name in caches), caches
    # The list marks it as kept.
    page.goto(live_server.url + reverse("meetings:list"))
    expect(page.locator(f'[data-offline-meeting="{meeting.pk}"] + .offline-kept')).to_be_visible()

    # No network: the meeting's page comes from the device and says so.
    context.set_offline(True)
    page.goto(meeting_url)
    banner = page.locator("#offline-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Đang ngoại tuyến — bản lưu lúc")
    expect(page.locator("h1")).to_have_text(meeting.title)
    assert page.evaluate("document.body.dataset.offlineServed") == "true"

    # The viewer, offline: page 3, then a word found in it; the kept PDF read in ranges.
    page.goto(viewer_url)
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator('[data-test-rendered="1"] .textLayer')).to_contain_text(
        "Trang 1", timeout=30_000
    )
    page.fill("#viewer-page", "3")
    page.locator("#viewer-page").press("Enter")
    expect(page.locator('[data-test-rendered="3"] .textLayer')).to_contain_text("Trang 3")
    page.locator('[data-viewer-action="search"]').click()
    page.fill("#viewer-query", "phan bo von")
    page.locator("#viewer-query").press("Enter")
    expect(page.locator("#viewer-search-status")).to_contain_text("1 / 1", timeout=20_000)
    expect(page.locator('.page[data-page-number="3"] .highlight.selected')).to_have_text(
        "phân bổ vốn"
    )
    assert page.evaluate("window.hkgViewer.currentPage()") == 3

    # A note pinned offline: kept on the device, shown as waiting to be sent.
    panel = page.locator("#notes-panel")
    if not panel.is_visible():
        page.locator('[data-viewer-action="notes"]').click()
    page.locator('#notes-panel [data-notes-action="pin"]').click()
    target = page.locator('.page[data-page-number="3"]')
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + min(box["height"], 500) * 0.4)
    expect(page.locator("#notes-text")).to_be_visible()
    page.fill("#notes-text", NOTE_TEXT)
    page.locator('#notes-form button[type="submit"]').click()
    expect(page.locator("#notes-mine .notes-pending")).to_have_count(1)
    expect(page.locator("#offline-pending")).to_contain_text("1 ghi chú chờ gửi")
    assert not Note.objects.filter(document=document).exists()
    visit(page, "offline-viewer-reading-tablet")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot(page, "offline-tablet"), SCREENSHOT)

    # Meanwhile the clerk replaces the document with a new version (a PDF of 4 pages).
    document_replace(
        document=document,
        by=User.objects.get(username="vanthu"),
        uploaded=SimpleUploadedFile("Tờ trình dự toán v2.pdf", big_pdf(4), "application/pdf"),
    )
    document.refresh_from_db()

    # Back online: told what changed; the note sent once (onto the current version, as readers
    # note on the current one), and sending again (another tab, a second event) adds nothing.
    context.set_offline(False)
    expect(page.locator("#offline-notice")).to_contain_text(
        "Tờ trình dự toán (phiên bản 2)", timeout=30_000
    )
    expect(page.locator("#notes-mine .notes-pending")).to_have_count(0, timeout=20_000)
    expect(page.locator("#notes-mine .notes-item")).to_have_count(1)
    page.evaluate("window.hkgOffline.flush()")
    page.reload()
    expect(page.locator("#notes-mine .notes-item")).to_have_count(1)
    notes = list(Note.objects.filter(document=document))
    assert [(n.author_id, n.page, n.text) for n in notes] == [(reader.pk, 3, NOTE_TEXT)]
    assert notes[0].version_id == document.current_id

    # Signing out: nothing of the account is left on the tablet.
    with page.expect_navigation():
        page.evaluate("document.querySelector('form[data-offline-signout]').requestSubmit()")
    page.wait_for_load_state()
    assert page.evaluate("caches.keys()") == []
    databases = page.evaluate("indexedDB.databases().then(l => l.map(d => d.name))")
    assert not [name for name in databases if name.startswith("hkg-")], databases
