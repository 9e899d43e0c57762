"""Software feedback (A6): any signed-in user submits; the admin lists, answers, closes."""

import pytest
from django.urls import reverse

from feedback.models import Feedback

XSS = "<script>alert('gop-y')</script>"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["member", "unit_clerk", "unit_leader", "secretary", "clerk", "admin"]
)
def test_every_signed_in_role_can_send_feedback(client_for, role_users, role) -> None:
    response = client_for(role).post(
        reverse("feedback:list"),
        {
            "category": "error",
            "subject": "Không tải được tài liệu",
            "body": "Trên máy tính bảng",
            "page_url": "/bang-dieu-khien/",
        },
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.author == role_users[role]
    assert item.status == Feedback.Status.NEW
    assert item.page_url == "/bang-dieu-khien/"


@pytest.mark.django_db
def test_outside_page_address_is_not_stored(client_for, role_users) -> None:
    client_for("member").post(
        reverse("feedback:list"),
        {"category": "error", "subject": "Lỗi", "body": "x", "page_url": "https://evil.example/"},
    )
    assert Feedback.objects.get().page_url == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"category": "error", "subject": "", "body": ""}, "Trường này là bắt buộc"),
        ({"category": "error", "subject": "S" * 201, "body": "x"}, "tối đa 200"),
        ({"category": "error", "subject": "Dài", "body": "x" * 10001}, "tối đa 10000"),
        ({"category": "khong-co", "subject": "A", "body": "x"}, "lựa chọn hợp lệ"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept_in_the_form(
    client_for, role_users, data, message
) -> None:
    response = client_for("member").post(reverse("feedback:list"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert not Feedback.objects.exists()
    if data["body"]:
        assert data["body"][:50] in page  # what was typed is still there


@pytest.mark.django_db
def test_script_in_feedback_is_escaped_for_author_and_admin(client_for, role_users) -> None:
    client_for("member").post(
        reverse("feedback:list"), {"category": "error", "subject": XSS, "body": XSS}
    )
    item = Feedback.objects.get()
    for client, url in [
        (client_for("member"), reverse("feedback:list")),
        (client_for("member"), reverse("feedback:detail", args=[item.pk])),
        (client_for("admin"), reverse("admin:feedback_feedback_changelist")),
        (client_for("admin"), reverse("admin:feedback_feedback_change", args=[item.pk])),
    ]:
        body = client.get(url).content.decode()
        assert XSS not in body, url
        assert "&lt;script&gt;" in body, url


@pytest.mark.django_db
def test_users_see_only_their_own_feedback(client_for, role_users) -> None:
    mine = Feedback.objects.create(author=role_users["member"], subject="Của tôi", body="x")
    theirs = Feedback.objects.create(author=role_users["clerk"], subject="Của văn thư", body="x")
    page = client_for("member").get(reverse("feedback:list")).content.decode()
    assert "Của tôi" in page and "Của văn thư" not in page
    assert client_for("member").get(reverse("feedback:detail", args=[theirs.pk])).status_code == 404
    assert client_for("member").get(reverse("feedback:detail", args=[mine.pk])).status_code == 200
    assert client_for("member").get(reverse("feedback:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_admin_answers_and_the_author_reads_the_answer(client_for, role_users) -> None:
    item = Feedback.objects.create(
        author=role_users["member"], subject="Hỏi", body="Làm sao đổi mật khẩu?"
    )
    response = client_for("admin").post(
        reverse("admin:feedback_feedback_change", args=[item.pk]),
        {"status": "answered", "answer": "Chọn «Đổi mật khẩu» trong menu tài khoản."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Feedback.Status.ANSWERED
    assert item.answered_by == role_users["admin"]
    assert item.answered_at is not None
    page = client_for("member").get(reverse("feedback:detail", args=[item.pk])).content.decode()
    assert "Chọn «Đổi mật khẩu» trong menu tài khoản." in page
    assert "Đã trả lời" in page


@pytest.mark.django_db
def test_admin_closes_with_an_action(client_for, role_users) -> None:
    items = [
        Feedback.objects.create(author=role_users["member"], subject=f"G{i}", body="x")
        for i in range(3)
    ]
    client_for("admin").post(
        reverse("admin:feedback_feedback_changelist"),
        {"action": "close_selected", "_selected_action": [i.pk for i in items[:2]], "index": 0},
    )
    statuses = [Feedback.objects.get(pk=i.pk).status for i in items]
    assert statuses == [Feedback.Status.CLOSED, Feedback.Status.CLOSED, Feedback.Status.NEW]


@pytest.mark.django_db
def test_double_submit_with_the_same_content_is_stored_once(client_for, role_users) -> None:
    data = {"category": "error", "subject": "Trùng", "body": "Gửi hai lần"}
    client = client_for("member")
    client.post(reverse("feedback:list"), data)
    second = client.post(reverse("feedback:list"), data, follow=True)
    assert Feedback.objects.count() == 1
    assert "đã được gửi" in second.content.decode()


def test_wrong_method_is_refused(client_for, role_users) -> None:
    assert client_for("member").put(reverse("feedback:list")).status_code == 405
