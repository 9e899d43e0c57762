"""The meeting pack in Chromium: an invited unit's leader opens the meeting page, whose documents
toolbar loads the pack's button (htmx), asks for the pack, sees "being prepared" turn into
"ready" with its size and page count, and downloads the PDF. CSP in force, axe-core on the page."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Unit, User
from browser_tests.conftest import TABLET_PORTRAIT, sign_in, visit
from documents.services import document_add
from meetings import services
from meetings.models import AgendaItem
from meetings.tests.factories import make_meeting
from packs.tests.conftest import text_pdf

pytestmark = pytest.mark.browser


def test_a_reader_prepares_and_downloads_the_pack(demo, live_server, new_context) -> None:
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(days=2)
    meeting = make_meeting(
        by=clerk,
        title="Họp bàn kế hoạch đầu tư công",
        start_at=start,
        end_at=start + timedelta(hours=2),
        location=clerk.unit.locations.first(),
        units=[Unit.objects.get(code="STC")],
        agenda="",
    )
    services.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    meeting.agenda_items.all().delete()
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Kế hoạch vốn năm 2027")
    for name, pages in (("Tờ trình.pdf", 2), ("Phụ lục.pdf", 3)):
        upload = SimpleUploadedFile(
            name, text_pdf(*(f"{name} trang {n}" for n in range(pages))), "application/pdf"
        )
        document = document_add(meeting=meeting, by=clerk, uploaded=upload)
        document.agenda_item = item
        document.save(update_fields=["agenda_item"])

    page = new_context(**TABLET_PORTRAIT).new_page()
    sign_in(page, live_server, "lanhdao.stc")
    page.goto(live_server.url + reverse("meetings:detail", args=[meeting.pk]))
    offer = page.locator("#pack-offer")
    button = offer.get_by_role("button", name="Tải tài liệu họp trọn bộ (PDF)")
    expect(button).to_be_visible()
    button.click()
    # The worker (synchronous in the tests) builds it; the fragment polls until it is ready.
    expect(offer).to_contain_text("Đã sẵn sàng", timeout=20_000)
    expect(offer).to_contain_text("7 trang")  # cover, agenda, 2 + 3 pages
    visit(page, "meeting-pack-ready")
    with page.expect_download() as download:
        offer.get_by_role("link", name="Tải tài liệu họp trọn bộ (PDF)").click()
    path = download.value.path()
    reader = PdfReader(io.BytesIO(open(path, "rb").read()))  # noqa: SIM115 - read at once
    assert len(reader.pages) == 7
    assert [item.title for item in reader.outline if not isinstance(item, list)] == [
        "Trang bìa và chương trình họp",
        "1. Kế hoạch vốn năm 2027",
    ]
