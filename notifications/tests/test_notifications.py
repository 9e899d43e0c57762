"""Notifications end to end inside one process: what each change queues, what the SMTP server
receives (a real aiosmtpd on loopback), retries, reminders, the inbox and the outbox admin."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Person
from accounts.tests.factories import UnitFactory, UserFactory
from attendance.services import NamedAttendee, reply_set
from documents.services import document_add
from meetings import services
from meetings.models import Meeting
from meetings.tests.factories import make_meeting, pdf_bytes, publish
from notifications import delivery
from notifications.models import Event, Notification, OutboxMessage
from notifications.services import send_reminders

SCRIPT = "<script>alert(1)</script>"
pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(role_users):
    return role_users["clerk"]


def addresses(kind: str | None = None) -> list[str]:
    rows = OutboxMessage.objects.all()
    if kind:
        rows = rows.filter(event__kind=kind)
    return sorted(rows.values_list("to_email", flat=True))


def ics_of(message) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no text/calendar part")


def text_of(message, subtype: str = "plain") -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")


def test_publishing_queues_one_message_per_address_and_one_inbox_line_per_account(
    clerk, role_users, department
) -> None:
    department.email = "stc@example.gov.vn"
    department.save()
    # The leader's address is also on their personnel record: one message, not two.
    person = Person.objects.create(
        full_name="Trần Văn Bình", unit=department, email=role_users["unit_leader"].email
    )
    outsider_person = Person.objects.create(
        full_name="Lê Thị Hoa", unit=department, email="hoa@example.gov.vn"
    )
    meeting = make_meeting(by=clerk, units=[department], persons=[person, outsider_person])
    assert not OutboxMessage.objects.exists() and not Notification.objects.exists()  # a draft

    publish(meeting, clerk)

    event = Event.objects.get()
    assert event.kind == Event.Kind.PUBLISHED and event.method == "REQUEST"
    expected = sorted(
        [
            role_users["unit_leader"].email,
            role_users["unit_clerk"].email,
            role_users["member"].email,
            "stc@example.gov.vn",
            "hoa@example.gov.vn",
        ]
    )
    assert addresses() == expected
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert users == {"leader1", "unitclerk1", "member1"}  # not the clerk who published
    assert "outsider1" not in users


def test_nothing_is_queued_when_the_change_is_rolled_back(clerk, department) -> None:
    meeting = make_meeting(by=clerk, units=[department])
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(meeting, clerk)
        raise RuntimeError("the request failed after publishing")
    assert not OutboxMessage.objects.exists()
    assert not Event.objects.exists()
    assert Meeting.objects.get(pk=meeting.pk).is_draft


def test_the_invitation_reaches_the_smtp_server_in_vietnamese_with_an_ics(
    smtp, clerk, role_users, department
) -> None:
    meeting = make_meeting(by=clerk, units=[department], title=f"Họp giao ban {SCRIPT}")
    publish(meeting, clerk)
    meeting.refresh_from_db()

    assert delivery.deliver() == 3
    received = {r.rcpt_tos[0]: r.message for r in smtp.mailbox.messages}
    assert sorted(received) == sorted(
        u.email for k, u in role_users.items() if k in {"unit_leader", "unit_clerk", "member"}
    )
    message = received[role_users["member"].email]
    assert message["Subject"].strip().startswith(f"Giấy mời họp: Họp giao ban {SCRIPT}, ")
    body = text_of(message)
    assert "trân trọng kính mời tham dự" in body
    assert "Phòng họp số 1" in body
    assert f"/cuoc-hop/{meeting.pk}/" in body
    html = text_of(message, "html")
    assert SCRIPT not in html and "&lt;script&gt;" in html
    calendar = ics_of(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    assert int(vevent["SEQUENCE"]) == meeting.revision
    assert vevent.decoded("DTSTART") == meeting.start_at
    assert str(vevent["SUMMARY"]) == meeting.title
    assert (
        message["Message-ID"]
        == OutboxMessage.objects.get(to_email=role_users["member"].email).message_id
    )
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    # Sent is sent: another pass sends nothing.
    assert delivery.deliver() == 0
    assert len(smtp.mailbox.messages) == 3


def test_a_change_raises_the_sequence_and_lists_what_changed(smtp, clerk, role_users, department):
    meeting = publish(make_meeting(by=clerk, units=[department]), clerk)
    delivery.deliver()
    first_sequence = int(ics_of(smtp.mailbox.messages[0].message).walk("VEVENT")[0]["SEQUENCE"])
    smtp.mailbox.messages.clear()
    new_start = meeting.start_at + timedelta(hours=1)
    services.meeting_update(
        meeting=meeting,
        by=clerk,
        data={"start_at": new_start, "end_at": new_start + timedelta(hours=2)},
        revision=meeting.revision,
        invitees=services.Invitees(units=[department]),
    )
    assert delivery.deliver() == 3
    message = smtp.mailbox.messages[0].message
    assert "Thay đổi thông tin cuộc họp" in str(message["Subject"])
    assert "bắt đầu" in text_of(message)
    vevent = ics_of(message).walk("VEVENT")[0]
    assert int(vevent["SEQUENCE"]) > first_sequence
    assert vevent.decoded("DTSTART") == new_start


def test_cancelling_sends_method_cancel(smtp, clerk, department) -> None:
    meeting = publish(make_meeting(by=clerk, units=[department]), clerk)
    services.meeting_cancel(meeting=meeting, by=clerk, reason="Lãnh đạo đi công tác")
    delivery.deliver()
    cancelled = [
        r.message for r in smtp.mailbox.messages if "Huỷ cuộc họp" in str(r.message["Subject"])
    ]
    assert len(cancelled) == 3
    calendar = ics_of(cancelled[0])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert "Lãnh đạo đi công tác" in text_of(cancelled[0])


def test_added_and_removed_invitees_get_their_own_messages(
    clerk, role_users, department, other_department
) -> None:
    meeting = publish(make_meeting(by=clerk, units=[department]), clerk)
    OutboxMessage.objects.all().delete()
    services.invitations_set(
        meeting=meeting, by=clerk, invitees=services.Invitees(units=[other_department])
    )
    kinds = {e.kind: e for e in Event.objects.exclude(kind=Event.Kind.PUBLISHED)}
    assert set(kinds) == {Event.Kind.INVITED, Event.Kind.UNINVITED}
    assert addresses(Event.Kind.INVITED) == [role_users["outsider"].email]
    assert kinds[Event.Kind.UNINVITED].method == "CANCEL"
    assert role_users["member"].email in addresses(Event.Kind.UNINVITED)


def test_a_batch_of_documents_is_one_message(client_for, clerk, role_users, department) -> None:
    meeting = publish(make_meeting(by=clerk, units=[department]), clerk)
    client = client_for("clerk")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("meetings:add_documents", args=[meeting.pk]),
        {
            "files": [
                SimpleUploadedFile("Báo cáo 1.pdf", pdf_bytes("1")),
                SimpleUploadedFile("Báo cáo 2.pdf", pdf_bytes("2")),
            ]
        },
    )
    assert response.status_code == 302
    changed = Event.objects.get(kind=Event.Kind.CHANGED)
    assert [c["kind"] for c in changed.changes] == ["document_added", "document_added"]
    assert changed.messages.count() == 3
    assert Notification.objects.filter(event=changed, user=role_users["member"]).exists()


def test_drafts_notify_nobody(clerk, department) -> None:
    meeting = make_meeting(by=clerk, units=[department])
    document_add(
        meeting=meeting,
        by=clerk,
        uploaded=__import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
            "Dự thảo.pdf", pdf_bytes()
        ),
    )
    services.meeting_update(
        meeting=meeting,
        by=clerk,
        data={"title": "Tên khác"},
        revision=meeting.revision,
        invitees=services.Invitees(units=[department]),
    )
    assert not Event.objects.exists()
    publish(meeting, clerk)
    assert list(Event.objects.values_list("kind", flat=True)) == ["published"]


@override_settings(NOTIFY_MAX_ATTEMPTS=3, NOTIFY_RETRY_BASE_SECONDS=60)
def test_a_server_that_is_down_means_retries_then_failed_shown_to_organiser_and_admin(
    smtp, clerk, client_for, department
) -> None:
    meeting = publish(make_meeting(by=clerk, units=[department]), clerk)
    smtp.mailbox.refuse = True
    for attempt in (1, 2):
        assert delivery.deliver() == 0
        row = OutboxMessage.objects.first()
        assert row.status == "queued" and row.attempts == attempt and "421" in row.last_error
        assert row.next_attempt_at > timezone.now() + timedelta(seconds=50)
        assert delivery.deliver() == 0  # not due yet: nothing is tried
        assert OutboxMessage.objects.first().attempts == attempt
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
    delivery.deliver()
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"failed"}

    page = client_for("clerk").get(reverse("meetings:detail", args=[meeting.pk]))
    assert "3 thư thông báo không gửi được" in page.content.decode()
    receipts = client_for("clerk").get(reverse("meetings:receipts", args=[meeting.pk]))
    assert "3 thư gửi lỗi" in receipts.content.decode()
    admin_page = client_for("admin").get(
        reverse("admin:notifications_outboxmessage_changelist") + "?status__exact=failed"
    )
    assert admin_page.status_code == 200 and "421" in admin_page.content.decode()

    smtp.mailbox.refuse = False
    response = client_for("admin").post(
        reverse("admin:notifications_outboxmessage_changelist"),
        {
            "action": "send_again",
            "_selected_action": list(OutboxMessage.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    # In the test settings the queue runs tasks at once: "send again" has sent them.
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert len(smtp.mailbox.messages) == 3
    receipts = client_for("clerk").get(reverse("meetings:receipts", args=[meeting.pk]))
    assert "thư gửi lỗi" not in receipts.content.decode()


def test_a_refused_address_fails_at_once_and_the_others_go(smtp, clerk, role_users, department):
    publish(make_meeting(by=clerk, units=[department]), clerk)
    bad = role_users["member"].email

    original = smtp.mailbox.handle_DATA

    async def refuse_one(server, session, envelope):
        if bad in envelope.rcpt_tos:
            return "550 5.1.1 Mailbox unavailable"
        return await original(server, session, envelope)

    smtp.mailbox.handle_DATA = refuse_one
    assert delivery.deliver() == 2
    row = OutboxMessage.objects.get(to_email=bad)
    assert row.status == "failed" and row.attempts == 1 and "550" in row.last_error


def test_reminders_go_to_invitees_that_have_not_acted_once(
    clerk, role_users, department, other_department
) -> None:
    meeting = make_meeting(by=clerk, units=[department, other_department], days_ahead=10)
    publish(meeting, clerk)
    # The department opened the meeting and named its attendee; the other one did nothing.
    services.receipt_record_view(meeting=meeting, user=role_users["member"])
    invitation = meeting.invitations.get(unit=department)
    reply_set(
        invitation=invitation,
        by=role_users["unit_clerk"],
        declined=False,
        attendees=[NamedAttendee(full_name="Nguyễn Văn An", position="Phó Giám đốc")],
    )
    day_before = meeting.start_at - timedelta(hours=23)
    assert send_reminders(now=meeting.start_at - timedelta(days=3)) == 0
    assert send_reminders(now=day_before) == 1
    reminder = Event.objects.get(kind=Event.Kind.REMINDER)
    assert reminder.key == f"reminder:{meeting.pk}:1440"
    assert addresses(Event.Kind.REMINDER) == [role_users["outsider"].email]
    # Run again (a restart, a second scheduler): nothing new.
    assert send_reminders(now=day_before + timedelta(minutes=5)) == 0
    assert Event.objects.filter(kind=Event.Kind.REMINDER).count() == 1
    # Two hours before: the second reminder.
    assert send_reminders(now=meeting.start_at - timedelta(minutes=100)) == 1
    # After the start: none.
    assert send_reminders(now=meeting.start_at + timedelta(minutes=1)) == 0


def test_no_reminders_for_cancelled_meetings_or_late_publications(clerk, department) -> None:
    cancelled = publish(make_meeting(by=clerk, units=[department]), clerk)
    services.meeting_cancel(meeting=cancelled, by=clerk, reason="Thay đổi kế hoạch")
    assert send_reminders(now=cancelled.start_at - timedelta(hours=1)) == 0
    # Published an hour before: the invitation itself was the reminder.
    soon = make_meeting(by=clerk, units=[department], days_ahead=1)
    Meeting.objects.filter(pk=soon.pk).update(
        start_at=timezone.now() + timedelta(minutes=90),
        end_at=timezone.now() + timedelta(minutes=200),
    )
    soon.refresh_from_db()
    publish(soon, clerk)
    assert send_reminders() == 0


def test_comments_closing_warns_those_that_have_not_commented(
    clerk, role_users, department, other_department
) -> None:
    from comments.services import comment_add

    meeting = publish(make_meeting(by=clerk, units=[department, other_department]), clerk)
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=timezone.now() - timedelta(minutes=30),
        end_at=timezone.now() + timedelta(minutes=30),
    )
    meeting.refresh_from_db()
    comment_add(meeting=meeting, by=role_users["member"], body="Đồng ý với dự thảo.")
    assert send_reminders() == 1
    event = Event.objects.get(kind=Event.Kind.COMMENTS_CLOSING)
    assert addresses(Event.Kind.COMMENTS_CLOSING) == [role_users["outsider"].email]
    mail.outbox.clear()
    from notifications.messages import build_message

    message = build_message(event.messages.get())
    assert "Sắp hết hạn góp ý" in message.subject
    assert send_reminders() == 0


def test_the_bell_counts_unread_and_the_inbox_marks_read(client_for, clerk, role_users, department):
    meeting = publish(make_meeting(by=clerk, units=[department]), clerk)
    member = client_for("member")
    page = member.get(reverse("portal:dashboard")).content.decode()
    assert 'data-unread="1"' in page
    inbox = member.get(reverse("notifications:inbox")).content.decode()
    assert meeting.title in inbox and "Giấy mời họp" in inbox
    note = Notification.objects.get(user=role_users["member"])
    # Somebody else's notification does not exist for this account.
    assert (
        client_for("unit_leader").post(reverse("notifications:open", args=[note.pk])).status_code
        == 404
    )
    response = member.post(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    note.refresh_from_db()
    assert note.read_at is not None
    assert "data-unread" not in member.get(reverse("notifications:bell")).content.decode()
    # The leader marks everything read at once.
    leader = client_for("unit_leader")
    leader.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.unread().filter(user=role_users["unit_leader"]).exists()
    # The outsider has nothing.
    assert (
        "Chưa có thông báo nào"
        in client_for("outsider").get(reverse("notifications:inbox")).content.decode()
    )


def test_a_withdrawn_invitation_opens_the_inbox_not_a_404(
    client_for, clerk, role_users, department, other_department
):
    meeting = publish(make_meeting(by=clerk, units=[department]), clerk)
    services.invitations_set(
        meeting=meeting, by=clerk, invitees=services.Invitees(units=[other_department])
    )
    note = Notification.objects.get(user=role_users["member"], event__kind=Event.Kind.UNINVITED)
    response = client_for("member").post(reverse("notifications:open", args=[note.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("notifications:inbox")
    assert "không còn mở được" in response.content.decode()


def test_inbox_queries_do_not_grow(client_for, clerk, department, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client_for("member").get(reverse("notifications:inbox")).status_code == 200
        return len(ctx)

    publish(make_meeting(by=clerk, units=[department]), clerk)
    count()  # the session's first request also reads what it keeps a while (the authenticator)
    few = count()
    for n in range(12):
        publish(make_meeting(by=clerk, units=[department], title=f"Họp số {n}"), clerk)
    assert count() == few


def test_many_accounts_one_query_count_for_dispatch(
    clerk, department, django_assert_max_num_queries
):
    """Publishing costs the same number of queries for 3 and for 60 invited units."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish_to(units) -> int:
        meeting = Meeting.objects.get(pk=make_meeting(by=clerk, units=units).pk)
        with CaptureQueriesContext(connection) as ctx:
            publish(meeting, clerk)
        return len(ctx)

    def units(n: int, prefix: str):
        made = [
            UnitFactory(code=f"{prefix}{i}", email=f"{prefix}{i}@example.gov.vn") for i in range(n)
        ]
        for unit in made:
            UserFactory(username=f"{prefix}{unit.pk}", unit=unit)
        return made

    few, many = publish_to(units(3, "A")), publish_to(units(60, "B"))
    # SQLite inserts at most 999 values per statement: 120 outbox rows take two inserts there.
    assert many == few if connection.vendor == "postgresql" else many <= few + 2


def test_the_bell_answers_304_while_the_count_stays(client_for, role_users, department):
    member = client_for("member")
    url = reverse("notifications:bell")
    first = member.get(url)
    assert first.status_code == 200
    assert member.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    clerk = role_users["clerk"]
    publish(make_meeting(by=clerk, title="Họp mới", units=[department]), clerk)
    news = member.get(url, headers={"if-none-match": first["ETag"]})
    assert news.status_code == 200 and news["ETag"] != first["ETag"]
