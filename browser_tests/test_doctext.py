"""Search inside documents (B3) in the browser: a Word file uploaded to a meeting is read in the
background; the secretary finds the meeting by a word without diacritics that only the file
holds, sees the snippet with the words marked, and opens the text; on a desk and on a phone.
The pages keep their Content-Security-Policy and pass axe-core."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit, User
from browser_tests.conftest import DESKTOP, PHONE, sign_in, visit
from doctext.models import VersionText
from doctext.tests.files import docx_bytes
from documents.services import document_add
from meetings import services
from meetings.tests.factories import make_meeting

# These pages show what the steps after an upload found (documents.processing): on.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("document_processing")]


def _meeting_with_a_word_file() -> None:
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(days=3)
    meeting = make_meeting(
        by=clerk,
        title="Họp thẩm định dự án hạ tầng",
        start_at=start,
        end_at=start + timedelta(hours=2),
        secretary=User.objects.get(username="thuky"),
        location=clerk.unit.locations.first(),
        units=[Unit.objects.get(code="STC")],
    )
    services.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    upload = SimpleUploadedFile("Tờ trình dự án.docx", docx_bytes())
    document = document_add(meeting=meeting, by=clerk, uploaded=upload)
    # Outside a transaction the queue (synchronous in tests) has read it already.
    assert VersionText.objects.get(version=document.current).status == "done"


@pytest.mark.parametrize(("device", "name"), [(DESKTOP, "desk"), (PHONE, "phone")])
def test_find_a_meeting_by_a_word_in_its_document(live_server, demo, new_context, device, name):
    _meeting_with_a_word_file()
    page = new_context(**device).new_page()
    sign_in(page, live_server, "thuky")
    page.goto(f"{live_server.url}/cuoc-hop/?q=duong+giao+thong+nong+thon")
    match = page.locator(".document-match")
    expect(match).to_have_count(1)
    expect(match.locator("mark").first).to_have_text("Đường")
    expect(match).to_contain_text("Tờ trình dự án")
    visit(page, f"doctext-search-{name}")
    with page.expect_navigation():
        match.get_by_role("link").click()
    expect(page.locator(".document-text mark").first).to_have_text("Đường")
    expect(page.locator(".doctext-status")).to_contain_text("đã trích xuất")
    visit(page, f"doctext-text-{name}")
