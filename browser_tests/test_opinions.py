"""Written opinions (B13): the Department of Finance's leader, on a 390 px phone, opens the request
from the dashboard, answers both questions (one with words), changes an answer, and the office's
clerk reads the summary. Every page keeps its Content-Security-Policy and passes axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit, User
from browser_tests.conftest import PHONE, shot, sign_in, visit
from opinions import services
from opinions.models import Answer, AnswerChange

pytestmark = pytest.mark.browser

COMMENT = "Đề nghị giảm mức phí xuống 30.000 đồng <script>alert(1)</script>"


def test_a_unit_leader_answers_on_a_phone(demo, live_server, new_context):
    clerk = User.objects.get(username="vanthu")
    opinion = services.request_create(
        by=clerk,
        title="Lấy ý kiến dự thảo Quyết định ban hành Quy chế phối hợp",
        description="Đề nghị các sở cho ý kiến trước khi trình UBND tỉnh.",
        deadline=timezone.now() + timedelta(days=3),
        questions=["Thông qua dự thảo Quy chế", "Mức phí đề xuất 50.000 đồng"],
        addressees=services.Addressees(units=[Unit.objects.get(code="STC")]),
    )
    services.request_send(request=opinion, by=clerk)

    phone = new_context(**PHONE).new_page()
    sign_in(phone, live_server, "lanhdao.stc")
    expect(phone.get_by_role("heading", name="Phiếu lấy ý kiến chờ trả lời")).to_be_visible()
    # From the to-do list at the top of the dashboard.
    phone.locator("#viec-can-lam").get_by_role("link", name=opinion.title).click()
    phone.wait_for_url(f"**/lay-y-kien/{opinion.pk}/#answer-*")
    phone.get_by_label("Đồng ý", exact=True).first.check()
    phone.get_by_label("Ý kiến khác", exact=True).nth(1).check()
    phone.get_by_label("Ý kiến cụ thể (bắt buộc khi chọn “Ý kiến khác”)").nth(1).fill(COMMENT)
    visit(phone, "opinions-phone-form")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi ý kiến").click()
    expect(phone.get_by_text("Đã ghi nhận ý kiến của Sở Tài chính.")).to_be_visible()
    # A change before the deadline is kept in the history.
    phone.get_by_label("Không đồng ý", exact=True).first.check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Cập nhật ý kiến").click()
    expect(phone.get_by_role("heading", name="Lịch sử trả lời")).to_be_visible()
    visit(phone, "opinions-phone")
    shot(phone, "opinions-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    recipient = opinion.recipients.get()
    assert Answer.objects.filter(recipient=recipient).count() == 2
    assert AnswerChange.objects.filter(recipient=recipient).count() == 3
    assert Answer.objects.get(recipient=recipient, question__position=2).comment == COMMENT

    office = new_context().new_page()
    sign_in(office, live_server, "vanthu")
    office.goto(live_server.url + f"/lay-y-kien/{opinion.pk}/tong-hop/")
    expect(office.get_by_text(COMMENT, exact=False)).to_be_visible()
    visit(office, "opinions-summary")
