"""SMS as a channel of the outbox, through a real gateway: Jasmin in its own process (started once
for the module), on RabbitMQ and Redis, sending over SMPP to the test's own SMSC, which counts
what arrives (notifications/tests/sms.py).

- Publishing a meeting sends exactly one SMS per invitee who chose SMS for invitations, counted at
  the SMSC; the gateway is stopped at first, the outbox waits with a growing delay, and the
  messages go once it is started again.
- The Vietnamese text arrives as GSM-7 without diacritics (SMS_GSM7 on) or as UCS-2 with them,
  in as many parts as `parts()` counts, never more than two.
- A number the gateway refuses fails at once, shown on the meeting page and in the admin's outbox.
- A worker whose lease ran out does not send what another worker took: one SMS, not two; two
  workers racing in threads (PostgreSQL) send each text once.
- `parts()`, `without_diacritics()` and `vn_mobile()` on their edges (no gateway needed)."""

import os
import socket
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UnitFactory, UserFactory
from core.phones import vn_mobile
from meetings.tests.factories import make_meeting, publish
from notifications import delivery
from notifications.channels.sms import GSM7, UCS2, parts, text_for, without_diacritics
from notifications.models import Event, NoticeChannel, OutboxMessage

from .racing import deliver_in_two_workers
from .sms import JASMIN_PASSWORD, JASMIN_USER, SMSC, Jasmin, jasmin_installed

SMS = OutboxMessage.Channel.SMS
LONG_TITLE = (
    "Hội nghị trực tuyến sơ kết công tác chuyển đổi số, cải cách hành chính và xây dựng chính "
    "quyền điện tử của tỉnh sáu tháng đầu năm, phương hướng nhiệm vụ sáu tháng cuối năm, "
    "triển khai kế hoạch ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước"
)


# ---- the counting helpers (no gateway) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (GSM7, 1)),
        ("a" * 160, (GSM7, 1)),
        ("a" * 161, (GSM7, 2)),
        ("a" * 306, (GSM7, 2)),
        ("a" * 307, (GSM7, 3)),
        # € [ ] { } ~ ^ \\ | take two septets each (the GSM-7 extension table).
        ("€" * 80, (GSM7, 1)),
        ("€" * 81, (GSM7, 2)),
        ("a" * 159 + "[", (GSM7, 2)),
        # One Vietnamese letter makes the whole text UCS-2: 70, then 67 a part.
        ("ấ" * 70, (UCS2, 1)),
        ("ấ" * 71, (UCS2, 2)),
        ("ấ" * 134, (UCS2, 2)),
        ("ấ" * 135, (UCS2, 3)),
        ("a" * 69 + "ư", (UCS2, 1)),
        ("a" * 70 + "ư", (UCS2, 2)),
        # A character outside the Basic Multilingual Plane is two UTF-16 code units.
        ("😀" * 35, (UCS2, 1)),
        ("😀" * 36, (UCS2, 2)),
    ],
)
def test_parts_counts_gsm7_and_ucs2_messages(text: str, expected: tuple[str, int]) -> None:
    assert parts(text) == expected


def test_without_diacritics_keeps_case_and_reads_d_for_dj() -> None:
    text = without_diacritics("Họp Đảng ủy: Đà Nẵng, ĐẶNG Thị Ánh — 08:30 “05/12/2026” ☎")
    assert text == 'Hop Dang uy: Da Nang, DANG Thi Anh - 08:30 "05/12/2026" ?'
    assert parts(text)[0] == GSM7


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "84912345678"),
        ("0912 345 678", "84912345678"),
        ("+84 912.345.678", "84912345678"),
        ("84-35-678-9012", "84356789012"),
        ("(+84) 771234567", "84771234567"),
        ("0881234567", "84881234567"),
        ("0241234567", None),  # a Hanoi landline
        ("091234567", None),  # nine digits
        ("09123456789", None),  # eleven
        ("0612345678", None),  # no mobile range starts 06
        ("+1 202 555 0100", None),
        ("0912345678; DROP TABLE", None),
        ("", None),
    ],
)
def test_vietnamese_mobile_numbers(raw: str, expected: str | None) -> None:
    assert vn_mobile(raw) == expected


# ---- through the gateway ------------------------------------------------------------------------


def _rabbitmq_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def smsc() -> Iterator[SMSC]:
    server = SMSC().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def jasmin(smsc: SMSC) -> Iterator[Jasmin]:
    missing = (
        "Jasmin is not installed (make jasmin-deps)"
        if not jasmin_installed()
        else "RabbitMQ does not answer on 127.0.0.1:5672"
        if not _rabbitmq_answers()
        else ""
    )
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    gateway = Jasmin(smsc.port)
    try:
        gateway.start()
        gateway.configure()
        wait_for(lambda: smsc.binds >= 1, what="Jasmin's connector to bind to the SMSC")
        yield gateway
    finally:
        gateway.remove()


@pytest.fixture
def gateway(jasmin: Jasmin, smsc: SMSC, settings) -> Iterator[Jasmin]:
    """The module's Jasmin, running, its SMSC's count at zero, our settings pointing at it."""
    if jasmin.process is None:
        jasmin.start()
    settings.SMS_GATEWAY_URL = jasmin.url
    settings.SMS_GATEWAY_USERNAME = JASMIN_USER
    settings.SMS_GATEWAY_PASSWORD = JASMIN_PASSWORD
    settings.SMS_GSM7 = True
    with smsc.lock:
        smsc.received.clear()
    yield jasmin


def wait_for(condition, *, what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def choose(user: User, choice: str, phone: str, kind: str = Event.Kind.PUBLISHED) -> None:
    user.phone = phone
    user.save(update_fields=["phone"])
    NoticeChannel.objects.create(user=user, kind=kind, choice=choice)


def sms_rows() -> "list[OutboxMessage]":
    return list(OutboxMessage.objects.filter(channel=SMS).order_by("to_phone"))


@pytest.mark.django_db
@override_settings(NOTIFY_RETRY_BASE_SECONDS=60)
def test_publishing_sends_one_sms_per_invitee_who_chose_it_after_the_gateway_comes_back(
    gateway, smsc, role_users, department
) -> None:
    clerk = role_users["clerk"]
    choose(role_users["member"], NoticeChannel.Choice.SMS, "0912 345 678")
    choose(role_users["unit_leader"], NoticeChannel.Choice.BOTH, "+84 356 789 012")
    # SMS for cancellations only: the invitation goes by e-mail.
    choose(role_users["unit_clerk"], NoticeChannel.Choice.SMS, "0771234567", Event.Kind.CANCELLED)
    gateway.stop()

    meeting = publish(make_meeting(by=clerk, units=[department], title=LONG_TITLE), clerk)

    rows = sms_rows()
    assert [r.to_phone for r in rows] == ["84356789012", "84912345678"]
    emails = set(OutboxMessage.objects.filter(channel="email").values_list("to_email", flat=True))
    # SMS only: no e-mail for the member; both: the leader's too; the clerk's by e-mail.
    assert role_users["member"].email not in emails
    assert {role_users["unit_leader"].email, role_users["unit_clerk"].email} <= emails

    delivery.deliver()  # the gateway is down: the texts wait, the e-mails go
    for row in sms_rows():
        assert row.status == "queued" and row.attempts == 1
        assert "Connection refused" in row.last_error
        assert row.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert not OutboxMessage.objects.filter(channel="email").exclude(status="sent").exists()
    delivery.deliver()  # not due yet: nothing is tried
    assert {r.attempts for r in sms_rows()} == {1}

    gateway.start()
    OutboxMessage.objects.filter(channel=SMS).update(next_attempt_at=timezone.now())
    assert delivery.deliver() == 2
    assert {r.status for r in sms_rows()} == {"sent"}

    expected = text_for(sms_rows()[0])
    coding, count = parts(expected)
    assert (coding, count) == (GSM7, 2)  # the long title, cut to fit two messages
    wait_for(lambda: len(smsc.messages()) >= 2 * count, what="the texts at the SMSC")
    time.sleep(0.5)  # anything more would arrive now
    for number in ("84912345678", "84356789012"):
        assert smsc.texts_to(number) == [expected]  # one SMS each, whole
    assert len(smsc.messages()) == 2 * count
    assert "..." in expected and f"/{meeting.pk}/" in expected
    assert delivery.deliver() == 0


@pytest.mark.django_db
def test_vietnamese_arrives_without_diacritics_in_gsm7_or_whole_in_ucs2(
    gateway, smsc, settings, role_users, department
) -> None:
    clerk = role_users["clerk"]
    choose(role_users["member"], NoticeChannel.Choice.SMS, "0912345678")
    title = "Họp Đảng ủy khối"

    publish(make_meeting(by=clerk, units=[department], title=title), clerk)
    assert delivery.deliver() >= 1
    gsm7 = text_for(sms_rows()[0])
    wait_for(lambda: smsc.texts_to("84912345678"), what="the GSM-7 text")
    assert smsc.texts_to("84912345678") == [gsm7]
    assert {m.data_coding for m in smsc.messages()} == {0}
    assert gsm7.startswith("Giay moi hop: Hop Dang uy khoi, ")

    settings.SMS_GSM7 = False
    with smsc.lock:
        smsc.received.clear()
    publish(make_meeting(by=clerk, units=[department], title=title + " (lần 2)"), clerk)
    assert delivery.deliver() >= 1
    ucs2 = text_for(OutboxMessage.objects.filter(channel=SMS).latest("id"))
    assert parts(ucs2) == (UCS2, 2)
    wait_for(lambda: len(smsc.messages()) >= 2, what="the UCS-2 parts")
    assert smsc.texts_to("84912345678") == [ucs2]
    assert ucs2.startswith("Giấy mời họp: Họp Đảng ủy khối (lần 2), ")
    assert {m.data_coding for m in smsc.messages()} == {8}
    assert len(smsc.messages()) == 2


@pytest.mark.django_db
def test_a_number_the_gateway_refuses_fails_at_once_and_shows(
    gateway, smsc, role_users, department, client_for
) -> None:
    clerk = role_users["clerk"]
    # A Vinaphone number: a Vietnamese mobile, but the gateway's route does not take it.
    choose(role_users["member"], NoticeChannel.Choice.SMS, "0881234567")
    choose(role_users["unit_leader"], NoticeChannel.Choice.SMS, "0912345678")
    meeting = publish(make_meeting(by=clerk, units=[department]), clerk)

    delivery.deliver()

    refused = OutboxMessage.objects.get(channel=SMS, to_phone="84881234567")
    assert refused.status == "failed" and refused.attempts == 1
    assert "412" in refused.last_error and "No route found" in refused.last_error
    assert OutboxMessage.objects.get(channel=SMS, to_phone="84912345678").status == "sent"
    wait_for(lambda: smsc.texts_to("84912345678"), what="the routed text")
    assert smsc.texts_to("84881234567") == []

    page = client_for("clerk").get(reverse("meetings:detail", args=[meeting.pk]))
    assert "1 tin nhắn SMS thông báo không gửi được" in page.content.decode()
    assert "thư thông báo không gửi được" not in page.content.decode()
    admin_page = client_for("admin").get(
        reverse("admin:notifications_outboxmessage_changelist") + "?channel__exact=sms"
    )
    content = admin_page.content.decode()
    assert admin_page.status_code == 200
    assert "84881234567" in content and "No route found" in content


@pytest.mark.django_db
def test_a_worker_past_its_lease_does_not_send_a_text_another_worker_took(
    gateway, smsc, role_users, department
) -> None:
    clerk = role_users["clerk"]
    choose(role_users["member"], NoticeChannel.Choice.SMS, "0912345678")
    publish(make_meeting(by=clerk, units=[department]), clerk)
    slow = delivery.claim("slow-worker", batch=10, channel=SMS)
    assert [m.to_phone for m in slow] == ["84912345678"]
    OutboxMessage.objects.filter(status="sending").update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )

    assert delivery.deliver() >= 1  # another worker takes the row whose lease ran out
    assert delivery.send_batch(slow, "slow-worker") == (0, True)  # the slow one wakes up

    wait_for(lambda: smsc.texts_to("84912345678"), what="the text")
    time.sleep(0.5)
    assert len(smsc.texts_to("84912345678")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_in_threads_send_each_text_once(gateway, smsc, settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database cannot be shared between threads")
    clerk = UserFactory(username="vanthu-sms", role=User.Role.CLERK)
    units = []
    for i in range(20):
        unit = UnitFactory(code=f"SMS{i:02d}")
        account = UserFactory(
            username=f"sms{i}", kind=User.Kind.UNIT, role=User.Role.UNIT_CLERK, unit=unit
        )
        choose(account, NoticeChannel.Choice.SMS, f"091{i:07d}")
        units.append(unit)
    # Tests run the queue's tasks at once: with no gateway where the settings point, the pass
    # after the commit leaves every text waiting; "send again" makes them due.
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"
    publish(make_meeting(by=clerk, units=units), clerk)
    settings.SMS_GATEWAY_URL = gateway.url
    assert delivery.retry(OutboxMessage.objects.filter(channel=SMS)) == 20
    counts = deliver_in_two_workers(batch=3, timeout=60)
    assert sum(counts) == 20
    wait_for(lambda: len(smsc.messages()) >= 20, what="20 texts at the SMSC")
    time.sleep(0.5)
    received = Counter(m.to for m in smsc.messages())
    assert sorted(received) == sorted(f"8491{i:07d}" for i in range(20))
    assert set(received.values()) == {1}, received.most_common(3)
