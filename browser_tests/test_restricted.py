"""A restricted document (B11) in Chromium: the organiser marks it in the form; an invited unit's
leader reads it in the viewer under the watermark overlay (the stamped PDF underneath), its page
saying it is read online only. CSP in force, axe-core on every page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit, User
from browser_tests.conftest import TABLET_PORTRAIT, shot, sign_in, visit
from documents.models import Document
from documents.services import document_add
from meetings import services
from meetings.tests.factories import make_meeting

pytestmark = pytest.mark.browser


def _pdf() -> bytes:
    from weasyprint import HTML

    pages = "".join(
        f'<section style="page-break-after: always"><h1>Trang {n}: Phương án sắp xếp nhân sự</h1>'
        f"<p>Nội dung mục {n}: đề xuất bố trí cán bộ lãnh đạo các phòng chuyên môn.</p></section>"
        for n in (1, 2, 3)
    )
    return HTML(string=f"<html><body>{pages}</body></html>").write_pdf()


def test_the_organiser_restricts_and_a_reader_reads_under_the_watermark(
    demo, live_server, new_context
):
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(days=2)
    meeting = make_meeting(
        by=clerk,
        title="Họp bàn phương án nhân sự",
        start_at=start,
        end_at=start + timedelta(hours=2),
        location=clerk.unit.locations.first(),
        units=[Unit.objects.get(code="STC")],
    )
    services.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    upload = SimpleUploadedFile("Phương án nhân sự.pdf", _pdf(), "application/pdf")
    document = document_add(meeting=meeting, by=clerk, uploaded=upload)

    # The organiser marks it restricted, for every invitee, read online only.
    page = new_context(**TABLET_PORTRAIT).new_page()
    sign_in(page, live_server, clerk.username)
    page.goto(live_server.url + reverse("documents:edit", args=[document.pk]))
    page.get_by_label("Tài liệu hạn chế").check()
    visit(page, "restricted-form")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".restricted-badge").first).to_be_visible()
    document = Document.objects.get(pk=document.pk)
    assert document.restricted and not document.allow_download
    page.context.close()

    # The Department of Finance's leader: the page says read online only, the viewer shows the
    # watermark with their name over each page.
    reader = User.objects.get(username="lanhdao.stc")
    page = new_context(**TABLET_PORTRAIT).new_page()
    sign_in(page, live_server, reader.username)
    page.goto(live_server.url + reverse("documents:detail", args=[document.pk]))
    expect(page.locator(".restricted-note")).to_contain_text("chỉ đọc trực tuyến")
    visit(page, "restricted-detail")
    page.goto(live_server.url + reverse("viewer:document", args=[document.pk]))
    first = page.locator('.page[data-page-number="1"] .viewer-watermark')
    expect(first).to_be_attached(timeout=30_000)
    expect(first.locator("span").first).to_contain_text(f"({reader.username})")
    expect(page.locator('.page[data-page-number="1"] .textLayer')).to_contain_text(
        "Phương án sắp xếp nhân sự", timeout=30_000
    )
    visit(page, "restricted-viewer")
    shot(page, "restricted-viewer-tablet")
