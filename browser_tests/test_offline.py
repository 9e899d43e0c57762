"""Reading offline in Chromium: a unit's account keeps a meeting on its tablet, the network is
cut, it opens the meeting (from the device, saying so and from when), reads page 3 of a Word
file's PDF in the viewer, finds a word in it and pins a note; meanwhile the clerk uploads a new
version; the network comes back: the reader is told of the new version, and the note is on the
server exactly once; signing out leaves no cache and no IndexedDB data behind.

Then: the meeting pack kept as one file, read offline in the viewer and replaced when back online
after a new version; a shared tablet, where the next account signed in after a session that
ended without signing out finds nothing of the previous one; and freeing the device from the
account page's list."""

import io
import re
import shutil
import time
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
from meetings.tests.factories import make_document, make_meeting
from notes.models import Note
from offline.selectors import account_key
from packs.models import Pack
from packs.plan import plan_for
from packs.tests.conftest import text_pdf
from viewer.convert import soffice
from viewer.models import Rendition

pytestmark = pytest.mark.browser

PAGES_WATCH = """
document.addEventListener("viewer:pagerendered", e => {
  e.detail.pageElement.setAttribute("data-test-rendered", String(e.detail.pageNumber));
});
"""
NOTE_TEXT = "Đề nghị làm rõ nguồn vốn (ghi khi ngoại tuyến)"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SCREENSHOT = SCREENSHOTS / "offline-tablet.png"
STORED_SCREENSHOT = SCREENSHOTS / "offline-stored-tablet.png"
# What the device holds: its caches' names, its IndexedDB databases' names, and the rows kept.
CACHES = "caches.keys()"
DATABASES = "indexedDB.databases().then(l => l.map(d => d.name))"
KEPT_ROWS = """name => idb.openDB(name).then(d => {
  const rows = d.objectStoreNames.contains("packs") ? d.getAll("packs") : Promise.resolve([]);
  return rows.then(r => { d.close(); return r; });
})"""
KEPT_URL = (
    """([name, url]) => caches.open(name).then(c => c.match(url)).then(r => r ? r.status : 0)"""
)


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


# ---- the meeting pack, a shared tablet, freeing the device --------------------------------------


def _meeting_with_pdfs(title: str, pages: tuple[int, ...] = (2, 3)):
    """A published meeting of the Department of Finance with PDFs of a few pages each."""
    clerk = User.objects.get(username="vanthu")
    meeting = make_meeting(
        by=clerk, title=title, days_ahead=2, units=[Unit.objects.get(code="STC")]
    )
    services.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    documents = [
        make_document(
            meeting,
            clerk,
            f"Tài liệu {n}.pdf",
            text_pdf(*(f"Tài liệu {n} trang {p}" for p in range(1, count + 1))),
        )
        for n, count in enumerate(pages, start=1)
    ]
    return meeting, documents


def _tablet(new_context):
    context = new_context(**READING_TABLET, service_workers="allow")
    context.add_init_script(PAGES_WATCH)
    return context, context.new_page()


def _keep(page, live_server, meeting, whole: bool = False) -> None:
    page.goto(live_server.url + reverse("meetings:detail", args=[meeting.pk]))
    if whole:
        page.locator("#offline-mode-pack").check()
    page.locator('[data-offline-action="keep"]').click()
    kept = "Đã lưu trên máy tài liệu họp trọn bộ" if whole else "Đã lưu trên máy:"
    expect(page.locator("[data-offline-status]")).to_contain_text(kept, timeout=60_000)


def _until(page, script: str, check, arg=None, seconds: float = 15):
    """Polls `script` in the page until `check` holds of its value; the last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = page.evaluate(script, arg)
        if check(value) or time.monotonic() > deadline:
            return value
        page.wait_for_timeout(200)


def test_the_pack_kept_as_one_file_reads_offline_and_is_replaced_when_back_online(
    demo, live_server, new_context
) -> None:
    meeting, documents = _meeting_with_pdfs("Họp bàn kế hoạch vốn đầu tư công năm sau")
    reader = User.objects.get(username="stc")
    context, page = _tablet(new_context)
    sign_in(page, live_server, reader.username)
    pack_url = reverse("packs:download", args=[meeting.pk])
    cache = f"hkg-{account_key(reader)}-m{meeting.pk}"

    # One file: asked for, prepared by the worker, then kept with the page that reads it.
    _keep(page, live_server, meeting, whole=True)
    expect(page.locator("[data-offline-status]")).to_contain_text("đến ngày")
    expect(page.locator("[data-offline-pack-read]")).to_be_visible()
    assert page.evaluate(KEPT_URL, [cache, pack_url]) == 200
    # The documents one by one are not kept besides.
    viewer_url = reverse("viewer:document", args=[documents[0].pk])
    assert page.evaluate(KEPT_URL, [cache, viewer_url]) == 0
    first_key = plan_for(meeting, reader).key
    rows = page.evaluate(KEPT_ROWS, f"hkg-offline-{account_key(reader)}")
    assert [(r["meeting"], r["whole"]["key"]) for r in rows] == [(meeting.pk, first_key)]

    # No network: the meeting page from the device offers the pack, which opens in the viewer.
    context.set_offline(True)
    page.goto(live_server.url + reverse("meetings:detail", args=[meeting.pk]))
    expect(page.locator("#offline-banner")).to_be_visible()
    read = page.locator("[data-offline-pack-read]")
    expect(read).to_be_visible()
    expect(page.locator("#offline-mode-pack")).to_be_checked()
    read.click()
    page.wait_for_url(f"**{reverse('offline:pack_reader', args=[meeting.pk])}")
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator('[data-test-rendered="1"] .textLayer')).to_contain_text(
        meeting.title[:20], timeout=30_000
    )
    pages = Pack.objects.get(key=first_key).pages
    assert pages is not None and pages >= 2 + 3
    expect(page.locator("#viewer-count")).to_contain_text(str(pages))
    page.fill("#viewer-page", "3")
    page.locator("#viewer-page").press("Enter")
    expect(page.locator('[data-test-rendered="3"] .textLayer')).to_contain_text(
        re.compile(r"Tài liệu 1 trang \d")
    )
    head = page.evaluate(
        "url => fetch(url).then(r => r.arrayBuffer())"
        ".then(b => new TextDecoder().decode(new Uint8Array(b).slice(0, 5)))",
        pack_url,
    )
    assert head == "%PDF-"
    page.wait_for_function("document.fonts.status === 'loaded'")
    visit(page, "offline-pack-reading-tablet")

    # Meanwhile a new version: back online, the kept pack is replaced and the reader told.
    document_replace(
        document=documents[1],
        by=User.objects.get(username="vanthu"),
        uploaded=SimpleUploadedFile("Tài liệu 2 v2.pdf", big_pdf(4), "application/pdf"),
    )
    new_key = plan_for(meeting, reader).key
    assert new_key != first_key
    context.set_offline(False)
    expect(page.locator("#offline-notice")).to_contain_text(
        "tài liệu họp trọn bộ (bản mới)", timeout=60_000
    )
    rows = page.evaluate(KEPT_ROWS, f"hkg-offline-{account_key(reader)}")
    assert [r["whole"]["key"] for r in rows] == [new_key]
    assert page.evaluate(KEPT_URL, [cache, pack_url]) == 200


def test_a_shared_tablet_keeps_nothing_of_the_previous_account(
    demo, live_server, new_context
) -> None:
    meeting, _documents = _meeting_with_pdfs("Họp giao ban Sở Tài chính tháng này")
    first, second = User.objects.get(username="stc"), User.objects.get(username="lanhdao.stc")
    first_key, second_key = account_key(first), account_key(second)
    context, page = _tablet(new_context)
    sign_in(page, live_server, first.username)
    _keep(page, live_server, meeting)
    keep_list = live_server.url + reverse("offline:keep_list", args=[meeting.pk])
    with page.expect_response(keep_list):  # the page refreshes what is kept
        page.goto(live_server.url + reverse("accounts:account"))  # a page kept as visited
    # The first account's data is on the device: what the second must not find.
    names = page.evaluate(CACHES)
    assert f"hkg-{first_key}-m{meeting.pk}" in names and f"hkg-{first_key}-pages" in names
    assert f"hkg-offline-{first_key}" in page.evaluate(DATABASES)

    # The session ends without the sign-out button (expired, or its cookie gone); the next
    # account signs in on the same browser. The account page's refresh of the kept meeting is let
    # finish first: sent without cookies, it would be sent on to the sign-in page, whose answer
    # gives a CSRF cookie of its own that may land after the one of the form being filled in (the
    # form then refused as stale), which no one meets whose cookies do not vanish mid-request.
    page.wait_for_load_state("networkidle")
    context.clear_cookies()
    sign_in(page, live_server, second.username)
    assert page.evaluate("document.body.dataset.offlineAccount") == second_key

    def first_gone(value) -> bool:
        return not [name for name in value if first_key in name]

    assert first_gone(_until(page, CACHES, first_gone)), page.evaluate(CACHES)
    assert first_gone(_until(page, DATABASES, first_gone)), page.evaluate(DATABASES)
    # Nothing of it on the second account's pages either.
    page.goto(live_server.url + reverse("meetings:detail", args=[meeting.pk]))
    expect(page.locator('[data-offline-action="remove"]')).to_be_hidden()
    expect(page.locator("[data-offline-status]")).to_have_text("")
    expect(page.locator("[data-offline-pack-read]")).to_be_hidden()
    page.goto(live_server.url + reverse("meetings:list"))
    expect(page.locator(f'[data-offline-meeting="{meeting.pk}"]').first).to_be_visible()
    expect(page.locator(".offline-kept")).to_have_count(0)
    page.goto(live_server.url + reverse("accounts:account"))
    expect(page.locator("[data-offline-stored-list]")).to_have_text(
        "Chưa có cuộc họp nào được lưu trên máy này."
    )
    assert first_gone(page.evaluate(CACHES)) and first_gone(page.evaluate(DATABASES))


def test_freeing_the_device_from_the_account_page(demo, live_server, new_context) -> None:
    one, _ = _meeting_with_pdfs("Họp thẩm định dự án đường tỉnh")
    two, _ = _meeting_with_pdfs("Họp bàn kế hoạch ngân sách quý", pages=(3,))
    reader = User.objects.get(username="stc")
    key = account_key(reader)
    database = f"hkg-offline-{key}"
    context, page = _tablet(new_context)
    sign_in(page, live_server, reader.username)
    _keep(page, live_server, one)
    _keep(page, live_server, two, whole=True)

    page.goto(live_server.url + reverse("accounts:account"))
    stored = page.locator("[data-offline-stored]")
    rows = stored.locator("[data-offline-stored-list] li")
    expect(rows).to_have_count(2)
    first = rows.filter(has_text=one.title)
    second = rows.filter(has_text=two.title)
    expect(first).to_contain_text(re.compile(r"\d+(,\d)? (KB|MB) · 2 tài liệu"))
    expect(second).to_contain_text(re.compile(r"\d+(,\d)? (KB|MB) · tài liệu họp trọn bộ"))
    expect(stored.locator("[data-offline-stored-total]")).to_contain_text(re.compile("KB|MB"))
    stored.scroll_into_view_if_needed()
    page.wait_for_function("document.fonts.status === 'loaded'")
    visit(page, "offline-stored-reading-tablet")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot(page, "offline-stored-tablet"), STORED_SCREENSHOT)

    # One removed: its cache and its row go, the other stays.
    first.get_by_role("button", name="Xoá khỏi máy").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(two.title)
    assert f"hkg-{key}-m{one.pk}" not in page.evaluate(CACHES)
    assert f"hkg-{key}-m{two.pk}" in page.evaluate(CACHES)
    assert [r["meeting"] for r in page.evaluate(KEPT_ROWS, database)] == [two.pk]
    page.goto(live_server.url + reverse("meetings:detail", args=[one.pk]))
    expect(page.locator('[data-offline-action="keep"]')).to_be_visible()
    expect(page.locator('[data-offline-action="remove"]')).to_be_hidden()
    expect(page.locator("[data-offline-status]")).to_have_text("")

    # All removed.
    page.goto(live_server.url + reverse("accounts:account"))
    expect(rows).to_have_count(1)
    stored.locator('[data-offline-action="remove-all"]').click()
    expect(rows).to_have_text(["Chưa có cuộc họp nào được lưu trên máy này."])
    expect(stored.locator('[data-offline-action="remove-all"]')).to_be_hidden()
    assert not [n for n in page.evaluate(CACHES) if n.startswith(f"hkg-{key}-m")]
    assert page.evaluate(KEPT_ROWS, database) == []
    page.goto(live_server.url + reverse("meetings:detail", args=[two.pk]))
    expect(page.locator('[data-offline-action="remove"]')).to_be_hidden()
    expect(page.locator("[data-offline-pack-read]")).to_be_hidden()
    page.goto(live_server.url + reverse("meetings:list"))
    expect(page.locator(".offline-kept")).to_have_count(0)
