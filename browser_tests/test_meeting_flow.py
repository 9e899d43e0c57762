"""The heart of the product, clicked through: a clerk publishes a meeting with two documents to two
units and a committee; an invited unit finds it marked new and downloads the very bytes uploaded;
an uninvited unit and the public see nothing of the documents; the organiser sees who received."""

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Unit, User
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from browser_tests.conftest import path_of, sign_in, visit
from meetings.models import Meeting
from meetings.tests.factories import pdf_bytes

pytestmark = pytest.mark.browser

TITLE = "Họp đánh giá tình hình kinh tế - xã hội quý III"
REPORT = "Báo cáo tình hình KT-XH quý III.pdf"
PLAN = "Dự thảo kế hoạch quý IV.pdf"


def test_publish_download_and_track(live_server, demo, new_context, tmp_path: Path) -> None:
    report_bytes = pdf_bytes("Bao cao quy III", pad=20_000)
    start = timezone.localtime() + timedelta(days=7)
    start = start.replace(hour=8, minute=0, second=0, microsecond=0)

    # ---- the clerk creates the meeting with two documents and three invitees ----------------
    clerk = new_context().new_page()
    sign_in(clerk, live_server, "vanthu")
    clerk.get_by_role("link", name="Tạo cuộc họp").first.click()
    clerk.wait_for_url("**/cuoc-hop/tao-moi/")
    clerk.get_by_label("Tên cuộc họp").fill(TITLE)
    clerk.locator("#id_agenda-0-title").fill("Báo cáo quý III")
    clerk.locator("#id_agenda-1-title").fill("Kế hoạch quý IV")
    clerk.get_by_label("Bắt đầu").fill(start.strftime("%d/%m/%Y %H:%M"))
    clerk.get_by_label("Kết thúc").fill((start + timedelta(hours=3)).strftime("%d/%m/%Y %H:%M"))
    clerk.get_by_label("Loại cuộc họp").select_option(label="Họp thường kỳ")
    clerk.get_by_label("Hình thức").select_option(label="Họp trực tiếp")
    clerk.get_by_label("Phòng họp").select_option(index=1)
    search = clerk.get_by_label("Tìm đơn vị, ban chỉ đạo, cá nhân")
    # Typed without diacritics, as a hurried clerk on a tablet would.
    for typed, name in [
        ("tai chinh", "Sở Tài chính"),
        ("ke hoach va dau tu", "Sở Kế hoạch và Đầu tư"),
        ("chuyen doi so", "Ban Chỉ đạo Chuyển đổi số tỉnh"),
    ]:
        search.fill(typed)
        clerk.get_by_label(name, exact=True).check()
    search.fill("")
    assert clerk.locator("[data-picker-count]").inner_text() == "3"
    clerk.get_by_label("Tài liệu họp").set_input_files(
        [
            {"name": REPORT, "mimeType": "application/pdf", "buffer": report_bytes},
            {"name": PLAN, "mimeType": "application/pdf", "buffer": pdf_bytes("Ke hoach")},
        ]
    )
    visit(clerk, "meeting-create-form")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Lưu dự thảo").click()
    meeting = Meeting.objects.get(title=TITLE)
    assert path_of(clerk) == f"/cuoc-hop/{meeting.pk}/"
    assert meeting.status == Meeting.Status.DRAFT
    assert sorted(d.current.original_name for d in meeting.documents.all()) == sorted(
        [REPORT, PLAN]
    )
    visit(clerk, "meeting-detail-draft")

    clerk.get_by_role("link", name="Phát hành").click()
    clerk.wait_for_url("**/phat-hanh/")
    assert "3 thành phần mời" in clerk.locator("main").inner_text()
    late_reason = clerk.get_by_label("Lý do phát hành muộn")
    if late_reason.count():  # only when the notice period of the meeting's type is already short
        late_reason.fill("Lịch công tác của lãnh đạo tỉnh thay đổi.")
    visit(clerk, "meeting-publish")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Phát hành").click()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert "Đã phát hành" in clerk.locator(".messages").inner_text()

    # ---- an invited unit: marked new, opens it, downloads the very bytes --------------------
    unit = new_context(accept_downloads=True).new_page()
    sign_in(unit, live_server, "stc")
    row = unit.locator(".meeting-list li", has_text=TITLE).first
    assert row.locator(".badge", has_text="Mới").is_visible()
    visit(unit, "meeting-unit-dashboard-new")
    row.get_by_role("link", name=TITLE).click()
    unit.wait_for_url(f"**/cuoc-hop/{meeting.pk}/")
    visit(unit, "meeting-unit-detail")
    with unit.expect_download() as download_info:
        unit.get_by_role("link", name="Tải về Báo cáo tình hình KT-XH quý III").click()
    download = download_info.value
    assert download.suggested_filename == REPORT
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert (
        hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(report_bytes).hexdigest()
    )
    document = meeting.documents.get(current__original_name=REPORT)

    # ---- an uninvited unit: nothing exists for it ---------------------------------------------
    UserFactory(
        username="snv.test",
        role=User.Role.UNIT_CLERK,
        kind=User.Kind.UNIT,
        unit=Unit.objects.get(code="SNV"),
    )
    outsider = new_context().new_page()
    sign_in(outsider, live_server, "snv.test", TEST_PASSWORD)
    for path in [f"/cuoc-hop/{meeting.pk}/", f"/tai-lieu/{document.pk}/tai-ve/"]:
        response = outsider.goto(live_server.url + path)
        assert response is not None and response.status == 404, path
    assert TITLE not in outsider.content()

    # ---- the public: general information, no document, no file name ---------------------------
    public = new_context().new_page()
    public.goto(live_server.url + f"/lich-hop/{meeting.pk}/")
    assert public.get_by_role("heading", level=1).inner_text() == TITLE
    html = public.content()
    assert "/tai-lieu/" not in html and ".pdf" not in html and "Báo cáo quý III" not in html
    visit(public, "meeting-public-page")

    # ---- the organiser sees who received what ------------------------------------------------
    clerk.get_by_role("link", name="Theo dõi nhận tài liệu").click()
    clerk.wait_for_url("**/theo-doi-nhan/")
    stc_row = clerk.locator("table.receipts tbody tr", has_text="Sở Tài chính")
    cells = stc_row.locator("td")
    # Columns: e-mailed, viewed, attendees named, comments, then one per document.
    assert re.search(r"\d\d/\d\d/\d{4}", cells.nth(0).inner_text())  # the invitation went out
    assert "Chưa xem" not in cells.nth(1).inner_text()
    assert re.search(r"\d\d/\d\d/\d{4}", cells.nth(1).inner_text())
    downloaded = [cells.nth(i).inner_text() for i in range(4, cells.count())]
    assert sum(1 for text in downloaded if re.search(r"\d\d/\d\d/\d{4}", text)) == 1
    skhdt_row = clerk.locator("table.receipts tbody tr", has_text="Sở Kế hoạch và Đầu tư")
    assert "Chưa xem" in skhdt_row.inner_text()
    visit(clerk, "meeting-receipts")
