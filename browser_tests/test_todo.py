"""The to-do list ("Việc cần làm") at the top of the dashboard and its count beside "Trang của tôi"
in the top menu, on a 1280x800 screen and a 390x844 phone: both show, the count is the list's,
the longest titles wrap inside their row and nothing makes the page scroll sideways."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Unit, User
from browser_tests.conftest import DESKTOP, PHONE, shot, sign_in, visit
from browser_tests.test_menu_widths import HEIGHT, WIDTHS, _check_one_line
from exports.models import ExportRequest
from meetings.models import Meeting
from opinions import services
from portal.todo import todo_count
from tasks.models import Notice, Task

pytestmark = pytest.mark.browser

LONG_TITLE = (
    "Lấy ý kiến dự thảo Quyết định ban hành Quy chế phối hợp giữa các sở, ban, ngành và Ủy ban "
    "nhân dân các huyện, thị xã, thành phố trong công tác chuyển đổi số và cải cách hành chính "
    "giai đoạn 2026-2030, tầm nhìn đến năm 2035"
)

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll('#viec-can-lam, #viec-can-lam *, .navbar *')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName + '.' + e.className);
  return {scroll: document.documentElement.scrollWidth, width, out};
}"""


def no_overflow(page: Page, label: str) -> None:
    layout = page.evaluate(OVERFLOW)
    assert layout["scroll"] <= layout["width"], f"{label}: the page scrolls sideways: {layout}"
    assert not layout["out"], f"{label}: past the right edge: {layout['out']}"


def test_the_list_and_the_badge_on_a_screen_and_a_phone(demo, live_server, new_context) -> None:
    clerk = User.objects.get(username="vanthu")
    opinion = services.request_create(
        by=clerk,
        title=LONG_TITLE,
        description="",
        deadline=timezone.now() + timedelta(days=3),
        questions=["Thông qua dự thảo Quy chế"],
        addressees=services.Addressees(units=[Unit.objects.get(code="STC")]),
    )
    services.request_send(request=opinion, by=clerk)
    leader = User.objects.get(username="lanhdao.stc")
    count = todo_count(leader)
    assert count >= 1

    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_context(**size).new_page()
        sign_in(page, live_server, "lanhdao.stc")
        todo = page.locator("#viec-can-lam")
        expect(todo.get_by_role("heading", name=f"Việc cần làm ({count})")).to_be_visible()
        row = todo.locator("[data-todo-kind=opinion_answer]", has_text=LONG_TITLE[:40])
        expect(row).to_be_visible()
        expect(row).to_contain_text("Trả lời phiếu lấy ý kiến")
        if label == "phone":
            page.get_by_role("button", name="Mở menu").click()
        home = page.locator("#mainNav").get_by_role("link", name="Trang của tôi")
        expect(home).to_be_visible()
        # Read aloud as the link's words and the count (the browser may put a space before the
        # comma where the hidden words begin).
        expect(home).to_have_accessible_name(
            re.compile(rf"^Trang của tôi ?, {count} việc cần làm$")
        )
        badge = home.locator(".todo-badge")
        expect(badge).to_be_visible()
        expect(badge).to_have_text(str(count))
        visit(page, f"todo-dashboard-{label}")
        no_overflow(page, label)
        # The row opens the request where it is answered, in one tap.
        if label == "phone":
            page.get_by_role("button", name="Mở menu").click()
        row.click()
        page.wait_for_url(re.compile(rf"/lay-y-kien/{opinion.pk}/#answer-\d+$"))
        expect(page.get_by_role("button", name="Gửi ý kiến")).to_be_visible()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_menu_with_a_two_digit_count_holds_on_one_line(
    live_server, demo, new_context, language
) -> None:
    """The widest menus (the office's clerk, the IT centre's admin) at 1024 px with a count of
    twelve beside "Trang của tôi", in Vietnamese and in the longer English."""
    clerk = User.objects.get(username="vanthu")
    meeting = Meeting.objects.filter(organiser_unit=clerk.unit).exclude(status="draft").first()
    assert meeting is not None
    notice = Notice.objects.create(
        meeting=meeting,
        body="Kết luận.",
        status="issued",
        created_by=clerk,
        issued_at=timezone.now(),
    )
    Task.objects.bulk_create(
        Task(
            notice=notice,
            title=f"Nhiệm vụ {i}",
            unit=Unit.objects.get(code="STC"),
            deadline=timezone.localdate(),
            status=Task.Status.REPORTED,
            is_issued=True,
        )
        for i in range(12)
    )
    ExportRequest.objects.bulk_create(
        ExportRequest(
            requested_by=clerk,
            unit=clerk.unit,
            date_from=timezone.localdate(),
            date_to=timezone.localdate(),
            purpose=f"Lưu trữ {i}",
        )
        for i in range(12 - todo_count(User.objects.get(username="quantri")))
    )
    for username in ("vanthu", "quantri"):
        count = todo_count(User.objects.get(username=username))
        assert count >= 10, username
        page = new_context(viewport={"width": WIDTHS[0], "height": HEIGHT}).new_page()
        sign_in(page, live_server, username)
        if language == "en":
            with page.expect_navigation():
                page.select_option("#language-select", "en")
        badge = page.locator("#mainNav .todo-badge")
        expect(badge).to_have_text(str(count))
        shot(page, f"todo-menu-{WIDTHS[0]}-{username}-{language}")
        _check_one_line(page, f"{username} at {WIDTHS[0]} px ({language}) with {count} to do")
