"""The pages: happy path, wrong method, anonymous, wrong role, another unit; bad input keeps what
was typed; the exports read back; query counts that do not grow with the data."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.samples import pdf_bytes
from opinions import services
from opinions.models import Answer, AnswerChange, Attachment, OpinionRequest, Recipient

from .conftest import QUESTIONS, make_request

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def _deadline(days: int = 3) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%d/%m/%Y %H:%M")


def _form(department, **more):
    return {
        "title": f"Lấy ý kiến {SCRIPT}",
        "description": "Đề nghị cho ý kiến.",
        "deadline": _deadline(),
        "questions": "Thông qua quy chế\n\nĐồng ý mức phí\n",
        "units": [department.pk],
        **more,
    }


def test_the_clerk_creates_a_draft_with_a_document(client_for, department):
    upload = SimpleUploadedFile("../../Tờ trình số 1.pdf", pdf_bytes("to trinh"))
    response = client_for("clerk").post(
        reverse("opinions:create"), _form(department, attachments=[upload])
    )
    opinion = OpinionRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("opinions:detail", args=[opinion.pk])
    assert opinion.status == "draft" and opinion.title == f"Lấy ý kiến {SCRIPT}"
    assert list(opinion.questions.values_list("text", flat=True)) == [
        "Thông qua quy chế",
        "Đồng ý mức phí",
    ]
    assert list(opinion.recipients.values_list("unit_id", flat=True)) == [department.pk]
    item = opinion.attachments.get()
    assert item.file_name == "Tờ trình số 1.pdf"
    assert item.file.name.startswith("opinions/") and ".." not in item.file.name
    page = client_for("clerk").get(reverse("opinions:detail", args=[opinion.pk]))
    html = page.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert SCRIPT not in html


def test_a_disguised_file_is_refused_by_name_and_nothing_is_lost(client_for, department):
    fake = SimpleUploadedFile("Báo cáo.pdf", b"MZ\x90\x00 not a pdf at all")
    response = client_for("clerk").post(
        reverse("opinions:create"), _form(department, attachments=[fake])
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Báo cáo.pdf" in html
    assert "Thông qua quy chế" in html  # what was typed is still there
    assert not OpinionRequest.objects.exists() and not Attachment.objects.exists()


def test_a_form_without_recipients_or_with_a_past_deadline_says_so(client_for, department):
    response = client_for("clerk").post(
        reverse("opinions:create"), _form(department, units=[], deadline=_deadline(-1))
    )
    assert response.status_code == 400
    assert not OpinionRequest.objects.exists()
    response = client_for("clerk").post(reverse("opinions:create"), _form(department, units=[]))
    assert "Hãy chọn ít nhất một nơi được lấy ý kiến." in response.content.decode()


@pytest.mark.parametrize("role", ["unit_leader", "unit_clerk", "secretary", "admin", "member"])
def test_only_the_office_clerk_creates(client_for, department, role):
    response = client_for(role).post(reverse("opinions:create"), _form(department))
    assert response.status_code == 403
    assert not OpinionRequest.objects.exists()


def test_anonymous_goes_to_sign_in(client_for, opinion):
    for url in (reverse("opinions:waiting"), reverse("opinions:detail", args=[opinion.pk])):
        response = client_for("anonymous").get(url)
        assert (
            response.status_code == 302
            and "/dang-nhap" in response["Location"]
            or (response["Location"].startswith(reverse("accounts:login")))
        )


def test_a_stale_edit_is_refused_and_a_current_one_saved(client_for, draft, department):
    client = client_for("clerk")
    url = reverse("opinions:edit", args=[draft.pk])
    assert client.get(url).status_code == 200
    stale = _form(department, title="Sửa lần hai", revision=draft.revision)
    ok = client.post(url, _form(department, title="Sửa lần một", revision=draft.revision))
    assert ok.status_code == 302
    refused = client.post(url, stale)
    assert refused.status_code == 400 and "tải lại trang" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Sửa lần một" and draft.revision == 1


def test_sending_and_closing(client_for, draft):
    client = client_for("clerk")
    assert client.get(reverse("opinions:send", args=[draft.pk])).status_code == 405
    assert (
        client_for("unit_leader").post(reverse("opinions:send", args=[draft.pk])).status_code == 404
    )
    assert client.post(reverse("opinions:send", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "sent"
    # The recipient sees it now, and may neither send it again nor close it.
    assert (
        client_for("unit_leader").post(reverse("opinions:close", args=[draft.pk])).status_code
        == 403
    )
    assert client.post(reverse("opinions:close", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "closed" and draft.closed_at is not None


def _answer(opinion, recipient, **choices) -> dict:
    data = {"recipient": recipient.pk}
    for question in opinion.questions.order_by("position"):
        choice, comment = choices.get(f"q{question.position}", ("agree", ""))
        data[f"r{recipient.pk}-choice_{question.pk}"] = choice
        data[f"r{recipient.pk}-comment_{question.pk}"] = comment
    return data


def test_a_unit_answers_changes_and_a_double_submit_is_harmless(client_for, opinion):
    recipient = opinion.recipients.get()
    client = client_for("unit_clerk")
    url = reverse("opinions:detail", args=[opinion.pk])
    page = client.get(reverse("opinions:detail", args=[opinion.pk]))
    assert page.status_code == 200 and "Gửi ý kiến" in page.content.decode()
    first = _answer(opinion, recipient, q2=("other", f"Giảm phí {SCRIPT}"))
    assert client.post(url, first).status_code == 302
    assert client.post(url, first).status_code == 302
    assert AnswerChange.objects.filter(recipient=recipient).count() == 2
    changed = _answer(opinion, recipient, q1=("disagree", ""), q2=("other", f"Giảm phí {SCRIPT}"))
    assert client_for("unit_leader").post(url, changed).status_code == 302
    assert AnswerChange.objects.filter(recipient=recipient).count() == 3
    html = client.get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert "Lịch sử trả lời" in html and SCRIPT not in html and "&lt;script&gt;" in html


def test_an_answer_after_the_deadline_gets_the_deadline_in_words(client_for, opinion):
    recipient = opinion.recipients.get()
    past = timezone.now() - timedelta(minutes=1)
    OpinionRequest.objects.filter(pk=opinion.pk).update(deadline=past)
    response = client_for("unit_leader").post(
        reverse("opinions:detail", args=[opinion.pk]), _answer(opinion, recipient)
    )
    assert response.status_code == 400
    assert timezone.localtime(past).strftime("%H:%M %d/%m/%Y") in response.content.decode()
    assert not Answer.objects.exists()


def test_other_units_and_staff_do_not_find_the_request(client_for, opinion):
    recipient = opinion.recipients.get()
    url = reverse("opinions:detail", args=[opinion.pk])
    for role in ("outsider", "member", "secretary", "admin"):
        assert client_for(role).post(url, _answer(opinion, recipient)).status_code == 404
        assert (
            client_for(role).get(reverse("opinions:detail", args=[opinion.pk])).status_code == 404
        )
    assert not Answer.objects.exists()


def test_an_other_answer_without_words_keeps_the_form(client_for, opinion):
    recipient = opinion.recipients.get()
    response = client_for("unit_leader").post(
        reverse("opinions:detail", args=[opinion.pk]),
        _answer(opinion, recipient, q1=("other", "")),
    )
    assert response.status_code == 400
    assert "ghi rõ ý kiến" in response.content.decode()
    assert not Answer.objects.exists()


def _answer_form_address(page: str, page_url: str) -> str:
    """Where the browser goes when the answer form is sent: its action, the page's own address
    when the action is empty; without the fragment, which never reaches the server."""
    for action, body in re.findall(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', page, re.S):
        if 'name="recipient"' in body:
            return (action or page_url).split("#")[0]
    raise AssertionError("no answer form on the page")


def test_a_refused_answer_stays_at_the_pages_own_address(client_for, opinion):
    """A refused answer is shown at the address of the page it was given on, so that reloading
    that address (or opening it again) shows the page, not an empty 405."""
    recipient = opinion.recipients.get()
    client = client_for("unit_leader")
    page_url = reverse("opinions:detail", args=[opinion.pk])
    address = _answer_form_address(client.get(page_url).content.decode(), page_url)
    refused = client.post(address, _answer(opinion, recipient, q1=("other", "")))
    assert refused.status_code == 400 and "ghi rõ ý kiến" in refused.content.decode()
    again = client.get(address)
    assert again.status_code == 200
    page = again.content.decode()
    assert "Gửi ý kiến" in page and QUESTIONS[0] in page
    assert not Answer.objects.exists()
    # The page takes the good answer at the same address.
    good = client.post(address, _answer(opinion, recipient, q1=("other", "Bổ sung điều 5")))
    assert good.status_code == 302 and good["Location"] == page_url
    assert Answer.objects.get(recipient=recipient, question__position=1).comment == "Bổ sung điều 5"


def test_the_old_answer_address_leads_to_the_page(client_for, opinion):
    """An address kept from before (a bookmark, the history, a page left open) still works: a
    GET opens the page, an answer sent there is taken by the page (307 keeps it a POST)."""
    recipient = opinion.recipients.get()
    old = reverse("opinions:answer", args=[opinion.pk])
    page_url = reverse("opinions:detail", args=[opinion.pk])
    client = client_for("unit_clerk")
    opened = client.get(old)
    assert opened.status_code == 302 and opened["Location"] == page_url
    sent = client.post(old, _answer(opinion, recipient), follow=True)
    assert sent.redirect_chain[0] == (page_url, 307)
    assert "Đã ghi nhận ý kiến của Sở Tài chính." in sent.content.decode()
    assert Answer.objects.filter(recipient=recipient).count() == 2
    assert client_for("outsider").get(old).status_code == 404


def test_a_follower_of_the_request_does_not_answer_on_its_page(client_for, opinion):
    recipient = opinion.recipients.get()
    url = reverse("opinions:detail", args=[opinion.pk])
    assert client_for("clerk").post(url, _answer(opinion, recipient)).status_code == 403
    assert client_for("outsider").post(url, _answer(opinion, recipient)).status_code == 404
    assert client_for("unit_leader").put(url).status_code == 405
    assert not Answer.objects.exists()


def test_the_attachment_downloads_for_recipients_only(client_for, opinion):
    item = opinion.attachments.get()
    url = reverse("opinions:file", args=[item.pk])
    response = client_for("unit_clerk").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for("outsider").get(url).status_code == 404


@pytest.fixture
def answered(role_users, opinion):
    recipient = opinion.recipients.get()
    questions = list(opinion.questions.order_by("position"))
    services.answer_submit(
        recipient=recipient,
        by=role_users["unit_leader"],
        given=[
            services.Given(question_id=questions[0].pk, choice="agree"),
            services.Given(question_id=questions[1].pk, choice="other", comment="Đề nghị giảm phí"),
        ],
    )
    return opinion


def test_the_word_summary_reads_back_in_vietnamese(client_for, answered, department):
    import docx

    response = client_for("clerk").get(reverse("opinions:summary_docx", args=[answered.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert "Độc lập - Tự do - Hạnh phúc" in cells
    assert "BẢNG TỔNG HỢP Ý KIẾN" in text
    assert "Lấy ý kiến dự thảo Quy chế làm việc" in text
    assert "Đồng ý: 1 nơi\n- Sở Tài chính\n" in text
    assert "Ý kiến khác: 1 nơi\n- Sở Tài chính: Đề nghị giảm phí\n" in text


def test_the_pdf_summary_reads_back(client_for, answered):
    from pypdf import PdfReader

    response = client_for("clerk").get(reverse("opinions:summary_pdf", args=[answered.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "BẢNG TỔNG HỢP Ý KIẾN" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Đề nghị giảm phí" in text


def test_the_recipient_may_not_read_the_summary(client_for, answered):
    for name in ("opinions:summary", "opinions:summary_docx", "opinions:summary_pdf"):
        assert client_for("unit_leader").get(reverse(name, args=[answered.pk])).status_code == 403
        assert client_for("outsider").get(reverse(name, args=[answered.pk])).status_code == 404


def _many(role_users, department, n: int) -> None:
    for i in range(n):
        make_request(role_users["clerk"], units=[department], title=f"Phiếu {i}")


@pytest.mark.parametrize("name", ["opinions:waiting", "opinions:sent"])
def test_list_queries_do_not_grow_with_the_requests(
    client_for, role_users, department, django_assert_max_num_queries, name
):
    role = "unit_leader" if name == "opinions:waiting" else "clerk"
    client = client_for(role)
    _many(role_users, department, 2)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse(name)).status_code == 200
    _many(role_users, department, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse(name))
    assert page.status_code == 200
    first = "Phiếu 0" if name == "opinions:waiting" else "Phiếu 24"  # nearest deadline / newest
    assert first in page.content.decode() and "1/2" in page.content.decode()


def test_summary_queries_do_not_grow_with_the_recipients(
    client_for, role_users, department, django_assert_max_num_queries
):
    from accounts.tests.factories import UnitFactory

    def ask(n: int) -> OpinionRequest:
        units = [department, *[UnitFactory() for _ in range(n)]]
        opinion = make_request(role_users["clerk"], units=units)
        for recipient in Recipient.objects.filter(request=opinion):
            services.answer_submit(
                recipient=recipient,
                by=role_users["unit_leader"],
                given=[
                    services.Given(question_id=q.pk, choice="other", comment="Ý kiến")
                    for q in opinion.questions.all()
                ],
            )
        return opinion

    client = client_for("clerk")
    small, large = ask(1), ask(15)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("opinions:summary", args=[small.pk]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("opinions:summary", args=[large.pk]))
    assert "Đã nhận ý kiến của 16/16 nơi" in page.content.decode()


def test_the_dashboard_lists_what_waits_and_the_bell_opens_it(client_for, opinion, role_users):
    from notifications.models import Notification

    html = client_for("unit_leader").get(reverse("portal:dashboard")).content.decode()
    assert "Phiếu lấy ý kiến chờ trả lời" in html and opinion.title in html
    assert (
        "Phiếu lấy ý kiến chờ trả lời"
        not in client_for("outsider").get(reverse("portal:dashboard")).content.decode()
    )
    line = Notification.objects.get(user=role_users["unit_leader"])
    inbox = client_for("unit_leader").get(reverse("notifications:inbox")).content.decode()
    assert opinion.title in inbox
    opened = client_for("unit_leader").post(reverse("notifications:open", args=[line.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("opinions:detail", args=[opinion.pk])
    line.refresh_from_db()
    assert line.read_at is not None


def test_the_waiting_list_puts_open_requests_first(client_for, role_users, department):
    closed = make_request(
        role_users["clerk"], units=[department], title="Phiếu đã kết thúc", days=1
    )
    services.request_close(request=closed, by=role_users["clerk"])
    make_request(role_users["clerk"], units=[department], title="Phiếu hạn xa", days=9)
    make_request(role_users["clerk"], units=[department], title="Phiếu hạn gần", days=2)
    html = client_for("unit_clerk").get(reverse("opinions:waiting")).content.decode()
    order = [html.index(t) for t in ("Phiếu hạn gần", "Phiếu hạn xa", "Phiếu đã kết thúc")]
    assert order == sorted(order)
    pending = client_for("unit_clerk").get(reverse("opinions:waiting"), {"chua-tra-loi": "1"})
    assert "Phiếu đã kết thúc" not in pending.content.decode()
