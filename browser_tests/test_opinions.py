"""Written opinions (B13): the Department of Finance's leader, on a 390 px phone, opens the request
from the dashboard, sends an answer that is refused (another opinion without words), finds the
page again at the address it is at, answers both questions, changes an answer; the office's clerk
names the signer of the summary ("Bảng tổng hợp ý kiến") and reads it on a desktop and a phone,
and its PDF is drawn to the screenshots. Every page keeps its Content-Security-Policy, passes
axe-core and fits its screen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Unit, User
from browser_tests.conftest import DESKTOP, PHONE, path_of, sign_in
from browser_tests.pdfs import pdf_shots
from browser_tests.steps import step
from opinions import services
from opinions.models import Answer, AnswerChange, OpinionRequest

pytestmark = pytest.mark.browser

COMMENT = "Đề nghị giảm mức phí xuống 30.000 đồng <script>alert(1)</script>"
COMMENT_LABEL = "Ý kiến cụ thể (bắt buộc khi chọn “Ý kiến khác”)"


def _request() -> OpinionRequest:
    clerk = User.objects.get(username="vanthu")
    opinion = services.request_create(
        by=clerk,
        title="Lấy ý kiến dự thảo Quyết định ban hành Quy chế phối hợp",
        description="Đề nghị các sở cho ý kiến trước khi trình UBND tỉnh.",
        deadline=timezone.now() + timedelta(days=3),
        questions=["Thông qua dự thảo Quy chế", "Mức phí đề xuất 50.000 đồng"],
        addressees=services.Addressees(
            units=[Unit.objects.get(code="STC"), Unit.objects.get(code="SKHDT")]
        ),
    )
    return services.request_send(request=opinion, by=clerk)


def _answer_on_a_phone(phone: Page, opinion: OpinionRequest) -> None:
    page_path = f"/lay-y-kien/{opinion.pk}/"
    # From the to-do list at the top of the dashboard.
    phone.locator("#viec-can-lam").get_by_role("link", name=opinion.title).click()
    phone.wait_for_url(f"**/lay-y-kien/{opinion.pk}/#answer-*")
    phone.get_by_label("Đồng ý", exact=True).first.check()
    phone.get_by_label("Ý kiến khác", exact=True).nth(1).check()
    step(phone, "opinions-phone-form")
    # Another opinion without words is refused, on the page's own address.
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi ý kiến").click()
    expect(phone.get_by_role("alert").filter(has_text="hãy ghi rõ ý kiến")).to_be_visible()
    assert path_of(phone).split("#")[0] == page_path
    step(phone, "opinions-phone-refused")
    # Opening that address again shows the page (it once gave an empty 405); the fragment
    # (#answer-…) never reaches the server.
    response = phone.goto(phone.url.split("#")[0])
    assert response is not None and response.status == 200
    expect(phone.get_by_role("heading", name=opinion.title)).to_be_visible()
    step(phone, "opinions-phone-reopened")
    phone.get_by_label("Đồng ý", exact=True).first.check()
    phone.get_by_label("Ý kiến khác", exact=True).nth(1).check()
    phone.get_by_label(COMMENT_LABEL).nth(1).fill(COMMENT)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Gửi ý kiến").click()
    expect(phone.get_by_text("Đã ghi nhận ý kiến của Sở Tài chính.")).to_be_visible()
    assert path_of(phone).split("#")[0] == page_path
    # A change before the deadline is kept in the history.
    phone.get_by_label("Không đồng ý", exact=True).first.check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Cập nhật ý kiến").click()
    expect(phone.get_by_role("heading", name="Lịch sử trả lời")).to_be_visible()
    step(phone, "opinions-phone")


def test_a_unit_leader_answers_on_a_phone_and_the_office_files_the_summary(
    demo, live_server, new_context
):
    opinion = _request()
    phone = new_context(**PHONE).new_page()
    sign_in(phone, live_server, "lanhdao.stc")
    expect(phone.get_by_role("heading", name="Phiếu lấy ý kiến chờ trả lời")).to_be_visible()
    _answer_on_a_phone(phone, opinion)
    recipient = opinion.recipients.get(unit__code="STC")
    assert Answer.objects.filter(recipient=recipient).count() == 2
    assert AnswerChange.objects.filter(recipient=recipient).count() == 3
    assert Answer.objects.get(recipient=recipient, question__position=2).comment == COMMENT

    office = new_context(**DESKTOP).new_page()
    sign_in(office, live_server, "vanthu")
    summary = f"/lay-y-kien/{opinion.pk}/tong-hop/"
    office.goto(live_server.url + summary)
    office.get_by_text("Người ký bảng tổng hợp").click()
    office.get_by_label("Chức vụ người ký").fill("Chánh Văn phòng UBND tỉnh")
    office.get_by_label("Họ và tên người ký").fill("Dương Văn Thắng")
    with office.expect_navigation():
        office.get_by_role("button", name="Lưu người ký").click()
    expect(office.get_by_text("Đã lưu người ký bảng tổng hợp.")).to_be_visible()
    document = office.locator("#bang-tong-hop")
    expect(document.get_by_text("CHÁNH VĂN PHÒNG UBND TỈNH")).to_be_visible()
    expect(document.get_by_text(COMMENT, exact=False)).to_be_visible()
    expect(document.get_by_text("Sở Kế hoạch và Đầu tư")).to_have_count(2)  # once a question
    step(office, "opinions-summary")
    pdf = office.get_by_role("link", name="Tải PDF").get_attribute("href")
    assert pdf is not None
    assert len(pdf_shots(office, pdf, "opinions-summary-pdf")) >= 1

    # The same clerk on a phone: the session carried over (a second sign-in would wait for the
    # next two-factor code).
    phone_context = new_context(**PHONE)
    phone_context.add_cookies(office.context.cookies())
    clerk_phone = phone_context.new_page()
    clerk_phone.goto(live_server.url + summary)
    expect(clerk_phone.locator("#bang-tong-hop").get_by_text("Dương Văn Thắng")).to_be_visible()
    step(clerk_phone, "opinions-summary-phone")
