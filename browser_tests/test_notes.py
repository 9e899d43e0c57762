"""Personal notes in the viewer (B11): on a 40-page PDF, go to page 30, highlight a phrase and
pin a note, reload, and find both drawn on page 30 and listed in the panel; on a tablet and on
a 390 px phone. The page keeps its Content-Security-Policy and passes axe-core."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Unit, User
from browser_tests.conftest import PHONE, TABLET, shot, sign_in, visit
from documents.models import Document
from documents.services import document_add
from meetings import services
from meetings.tests.factories import make_meeting
from notes.models import Note
from notes.tests.conftest import pages_pdf

pytestmark = pytest.mark.browser

# A tablet held sideways shows the notes beside the page; the phone shows them over it.
PHRASE = "Kế hoạch phát triển kinh tế"
PIN_TEXT = "Hỏi lại Sở Tài chính về số liệu trang 30 <script>alert(1)</script>"
# Remembers the page elements the viewer announces, so that the test can find page 30's.
PAGES_WATCH = """
window.__notesPages = {};
document.addEventListener("viewer:pagerendered", e => {
  window.__notesPages[e.detail.pageNumber] = e.detail.pageElement;
  e.detail.pageElement.setAttribute("data-test-page", String(e.detail.pageNumber));
});
"""


def _document() -> Document:
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(days=2)
    meeting = make_meeting(
        by=clerk,
        title="Họp thông qua kế hoạch phát triển kinh tế - xã hội năm 2026",
        start_at=start,
        end_at=start + timedelta(hours=2),
        secretary=User.objects.get(username="thuky"),
        location=clerk.unit.locations.first(),
        units=[Unit.objects.get(code="STC")],
    )
    services.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    upload = SimpleUploadedFile("Kế hoạch 2026.pdf", pages_pdf(40), "application/pdf")
    return document_add(meeting=meeting, by=clerk, uploaded=upload)


def _open_at_page_30(page: Page, url: str) -> None:
    page.goto(url + "#page=30")
    expect(page.locator('[data-test-page="30"]')).to_be_attached(timeout=20_000)
    page.evaluate("window.hkgViewer.goToPage(30)")
    expect(page.locator('[data-test-page="30"]').get_by_text("Trang 30:")).to_be_visible(
        timeout=20_000
    )
    panel = page.locator("#notes-panel")
    if not panel.is_visible():
        page.locator('[data-viewer-action="notes"]').click()
    expect(panel).to_be_visible()


def _select_phrase_on_page_30(page: Page) -> None:
    """Select PHRASE in page 30's text layer, as a finger or a mouse would."""
    found = page.evaluate(
        """phrase => {
            const root = document.querySelector('[data-test-page="30"]');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.textContent.indexOf(phrase);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + phrase.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return true;
                }
            }
            return false;
        }""",
        PHRASE,
    )
    assert found, "the phrase is not in page 30's text layer"


@pytest.mark.parametrize(
    ("device", "name"), [({**TABLET, "is_mobile": True}, "tablet"), (PHONE, "phone")]
)
def test_highlight_and_pin_on_page_30(live_server, demo, new_context, device, name) -> None:
    document = _document()
    url = f"{live_server.url}/tai-lieu/{document.pk}/doc/"
    context = new_context(**device)
    context.add_init_script(PAGES_WATCH)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, "thuky")
    _open_at_page_30(page, url)

    # Highlight: select the phrase, then "Tô sáng".
    _select_phrase_on_page_30(page)
    highlight = page.locator('#notes-panel [data-notes-action="highlight"]')
    expect(highlight).to_be_enabled()
    highlight.click()
    expect(page.locator("#notes-mine .notes-item")).to_have_count(1)

    # Pin: "Ghim ghi chú", tap on page 30, write, save.
    page.locator('#notes-panel [data-notes-action="pin"]').click()
    target = page.locator('[data-test-page="30"]')
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + min(box["height"], 600) * 0.3)
    expect(page.locator("#notes-text")).to_be_visible()
    page.fill("#notes-text", PIN_TEXT)
    page.locator('#notes-form button[type="submit"]').click()
    expect(page.locator("#notes-mine .notes-item")).to_have_count(2)

    saved = list(Note.objects.filter(document=document).order_by("id"))
    assert [(n.kind, n.page) for n in saved] == [("highlight", 30), ("pin", 30)]
    assert saved[0].quote == PHRASE and saved[1].text == PIN_TEXT
    assert all(0 <= v <= 1 for n in saved for rect in n.rects for v in rect)

    # Reload: both are drawn on page 30 and listed in the panel.
    page.reload()
    _open_at_page_30(page, url)
    on_page = page.locator('[data-test-page="30"]')
    expect(on_page.locator(".notes-hl").first).to_be_visible()
    expect(on_page.locator(".notes-pin")).to_have_count(1)
    # Drawn over the phrase itself, within a few pixels.
    _select_phrase_on_page_30(page)
    text_box = page.evaluate(
        "(() => { const r = window.getSelection().getRangeAt(0).getBoundingClientRect();"
        " return {x: r.left, y: r.top, w: r.width, h: r.height}; })()"
    )
    page.evaluate("window.getSelection().removeAllRanges()")
    mark = on_page.locator(".notes-hl").first.bounding_box()
    assert mark is not None
    assert abs(mark["x"] - text_box["x"]) < 4 and abs(mark["y"] - text_box["y"]) < 4, (
        mark,
        text_box,
    )
    assert abs(mark["width"] - text_box["w"]) < 6, (mark, text_box)
    items = page.locator("#notes-mine .notes-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(PHRASE)
    expect(items.nth(1)).to_contain_text(PIN_TEXT)  # the script tag is text
    assert not dialogs, dialogs  # the note's <script> never ran
    shot(page, f"notes-{name}")
    visit(page, f"notes-viewer-{name}")

    # The panel takes you back to the page of a note.
    page.evaluate("window.hkgViewer.goToPage(1)")
    items.nth(1).locator(".notes-go").click()
    page.wait_for_function("window.hkgViewer.currentPage() === 30")

    # "Ghi chú của tôi" lists both, with the link back into the viewer at page 30.
    page.goto(f"{live_server.url}/ghi-chu/")
    expect(page.locator("#my-notes .notes-item")).to_have_count(2)
    expect(page.locator("#my-notes .notes-item").first).to_have_attribute(
        "href", f"/tai-lieu/{document.pk}/doc/#page=30"
    )
    visit(page, f"notes-mine-{name}")
