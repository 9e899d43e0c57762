"""Each account's channel per kind of notice: the settings page and what publishing writes to the
outbox from it (no gateway here: test_sms.py sends through a real one)."""

import pytest
from django.urls import reverse

from meetings.tests.factories import make_meeting, publish
from notifications.models import Event, NoticeChannel, OutboxMessage

pytestmark = pytest.mark.django_db
URL = reverse("notifications:channels")
GATEWAY = "http://127.0.0.1:9/send"  # nothing listens: rows are only written here


def form_data(phone: str = "", **choices: str) -> dict[str, str]:
    data = {f"kind_{kind}": "email" for kind in Event.Kind.values}
    data.update({f"kind_{kind}": choice for kind, choice in choices.items()})
    return {"phone": phone, **data}


def test_the_member_chooses_sms_for_invitations_with_a_mobile_number(
    client_for, role_users, settings
) -> None:
    settings.SMS_GATEWAY_URL = GATEWAY
    member = role_users["member"]
    client = client_for("member")
    page = client.get(URL)
    assert "Cách nhận thông báo" in page.content.decode()
    assert 'value="both"' in page.content.decode()

    response = client.post(URL, form_data("+84 912.345.678", published="sms", cancelled="both"))

    assert response.status_code == 302 and response["Location"] == URL
    member.refresh_from_db()
    assert member.phone == "+84 912.345.678"
    assert dict(NoticeChannel.objects.filter(user=member).values_list("kind", "choice")) == {
        "published": "sms",
        "cancelled": "both",
    }
    # Back to e-mail: the row goes, e-mail being what no row means.
    client.post(URL, form_data("0912345678", cancelled="both"))
    assert list(NoticeChannel.objects.filter(user=member).values_list("kind", flat=True)) == [
        "cancelled"
    ]


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("", "Cần số điện thoại di động để nhận thông báo qua SMS."),
        ("024 3825 1234", "Đây không phải số di động Việt Nam"),
        ("<script>alert(1)</script>", "Đây không phải số di động Việt Nam"),
        ("9" * 31, "chỉ có tối đa 30 kí tự"),
    ],
)
def test_sms_without_a_mobile_number_is_refused_with_a_message_and_nothing_saved(
    client_for, role_users, settings, phone: str, message: str
) -> None:
    settings.SMS_GATEWAY_URL = GATEWAY
    member = role_users["member"]
    before = member.phone

    response = client_for("member").post(URL, form_data(phone, published="sms"))

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content and "<script>alert(1)</script>" not in content
    member.refresh_from_db()
    assert member.phone == before and not NoticeChannel.objects.exists()


def test_without_a_gateway_the_page_offers_e_mail_only(client_for, role_users, settings) -> None:
    settings.SMS_GATEWAY_URL = ""
    client = client_for("member")
    page = client.get(URL).content.decode()
    assert "chưa được cấu hình gửi SMS" in page and 'value="sms"' not in page

    response = client.post(URL, form_data("0912345678", published="sms"))

    assert response.status_code == 200 and not NoticeChannel.objects.exists()


def test_other_methods_and_the_anonymous(client_for) -> None:
    assert client_for("member").put(URL).status_code == 405
    response = client_for("anonymous").get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_publishing_writes_one_text_per_number_and_keeps_e_mail_where_sms_cannot_go(
    role_users, department, settings
) -> None:
    settings.SMS_GATEWAY_URL = GATEWAY
    clerk, member, leader = role_users["clerk"], role_users["member"], role_users["unit_leader"]
    unit_clerk = role_users["unit_clerk"]
    for user, phone in ((member, "0912345678"), (leader, "+84912345678"), (unit_clerk, "024 1")):
        user.phone = phone
        user.save(update_fields=["phone"])
        NoticeChannel.objects.create(user=user, kind=Event.Kind.PUBLISHED, choice="sms")

    publish(make_meeting(by=clerk, units=[department]), clerk)

    # The member and the leader share a number: one text. The unit clerk's number is a
    # landline: e-mail instead, not nothing.
    texts = OutboxMessage.objects.filter(channel="sms")
    assert list(texts.values_list("to_phone", flat=True)) == ["84912345678"]
    emails = set(OutboxMessage.objects.filter(channel="email").values_list("to_email", flat=True))
    assert unit_clerk.email in emails
    assert member.email not in emails and leader.email not in emails


def test_with_sms_off_everyone_keeps_e_mail(role_users, department, settings) -> None:
    settings.SMS_GATEWAY_URL = ""
    clerk, member = role_users["clerk"], role_users["member"]
    member.phone = "0912345678"
    member.save(update_fields=["phone"])
    NoticeChannel.objects.create(user=member, kind=Event.Kind.PUBLISHED, choice="sms")

    publish(make_meeting(by=clerk, units=[department]), clerk)

    assert not OutboxMessage.objects.filter(channel="sms").exists()
    assert OutboxMessage.objects.filter(channel="email", to_email=member.email).exists()
