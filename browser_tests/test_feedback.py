"""Góp ý phần mềm (A6): a member sends feedback from the menu; what they typed is shown as text."""

import pytest

from accounts.models import User
from browser_tests.conftest import DASHBOARD_PATH, path_of, sign_in, visit
from feedback.models import Feedback

pytestmark = pytest.mark.browser

SUBJECT = "Lỗi hiển thị <script>alert(1)</script> trên trang của tôi"
BODY = "Khi mở trang của tôi thấy chữ lạ.\n<img src=x onerror=alert(2)>"


def test_member_sends_feedback_shown_escaped(live_server, demo, page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, "thanhvien")
    assert path_of(page) == DASHBOARD_PATH

    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.locator("button.dropdown-toggle:has(.bi-person-circle)").click()  # the account's menu
    nav.get_by_role("link", name="Góp ý phần mềm").click()
    page.wait_for_url("**/gop-y/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Góp ý phần mềm"
    assert page.get_by_text("Bạn chưa gửi góp ý nào.").is_visible()
    visit(page, "feedback-empty")

    page.get_by_label("Loại góp ý").select_option(label="Báo lỗi")
    page.get_by_label("Tiêu đề").fill(SUBJECT)
    page.get_by_label("Nội dung").fill(BODY)
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi góp ý").click()
    assert path_of(page) == "/gop-y/"
    assert "Góp ý đã được gửi" in page.locator(".messages").inner_text()
    link = page.get_by_role("link", name=SUBJECT)
    assert link.is_visible(), "the subject is shown as typed, as text"
    assert page.locator("script:has-text('alert(1)')").count() == 0
    visit(page, "feedback-sent")

    feedback = Feedback.objects.get()
    assert feedback.author == User.objects.get(username="thanhvien")
    assert feedback.subject == SUBJECT
    assert feedback.body.replace("\r\n", "\n") == BODY
    assert feedback.category == Feedback.Category.ERROR
    assert feedback.status == Feedback.Status.NEW
    assert feedback.page_url == DASHBOARD_PATH, "the page the member came from"

    link.click()
    page.wait_for_url(f"**/gop-y/{feedback.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == SUBJECT
    assert "<img src=x onerror=alert(2)>" in page.locator("main .card-body").first.inner_text()
    assert page.locator("main img").count() == 0
    assert page.locator("script:has-text('alert')").count() == 0
    assert page.get_by_text("Chưa có trả lời.").is_visible()
    visit(page, "feedback-detail")
    assert dialogs == [], "no script from the feedback ran"
