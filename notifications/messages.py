"""One outbox row as an e-mail: Vietnamese plain text and HTML, with the invitation (.ics); or,
for an account notice, a short message to the account's owner."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import ics
from .models import AccountNotice, Event, OutboxMessage

Kind = Event.Kind


def _when(value: str) -> datetime:
    return timezone.localtime(datetime.fromisoformat(value))


def subject_for(event: Event) -> str:
    data = event.snapshot
    start = date_format(_when(data["start_at"]), "SHORT_DATETIME_FORMAT")
    title = data["title"]
    text = {
        Kind.PUBLISHED: _("Giấy mời họp: %(title)s, %(start)s"),
        Kind.INVITED: _("Giấy mời họp: %(title)s, %(start)s"),
        Kind.CHANGED: _("Thay đổi thông tin cuộc họp: %(title)s, %(start)s"),
        Kind.UNINVITED: _("Không còn trong thành phần mời: %(title)s"),
        Kind.POSTPONED: _("Hoãn cuộc họp: %(title)s"),
        Kind.CANCELLED: _("Huỷ cuộc họp: %(title)s"),
        Kind.REMINDER: _("Nhắc lịch họp: %(title)s, %(start)s"),
        Kind.COMMENTS_CLOSING: _("Sắp hết hạn góp ý: %(title)s"),
        Kind.MINUTES: _("Biên bản cuộc họp: %(title)s"),
    }[Kind(event.kind)]
    subject = text % {"title": title, "start": start}
    return " ".join(subject.split())[:250]  # no line breaks in a header


def context_for(event: Event, to_name: str = "") -> dict[str, Any]:
    data = event.snapshot
    path = reverse("meetings:detail", args=[event.meeting_id])
    return {
        "event": event,
        "kind": event.kind,
        "data": data,
        "start": _when(data["start_at"]),
        "end": _when(data["end_at"]),
        "changes": event.changes,
        "to_name": to_name,
        "url": ics.site_url(path),
        "show_link": event.kind != Kind.UNINVITED,
        "SITE_NAME": settings.SITE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "comments_close": _when(data["end_at"]),
    }


def _headers(message: OutboxMessage) -> dict[str, str]:
    return {
        "Message-ID": message.message_id,
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }


def _to(message: OutboxMessage) -> list[str]:
    return [f'"{message.to_name}" <{message.to_email}>' if message.to_name else message.to_email]


def build_notice_message(message: OutboxMessage) -> EmailMultiAlternatives:
    notice = message.notice
    assert notice is not None
    with override("vi"):
        subject = {
            AccountNotice.Kind.PASSWORD_RESET: _("Mật khẩu tài khoản %(username)s đã được đặt lại"),
            AccountNotice.Kind.PASSWORD_CHANGED: _("Mật khẩu tài khoản %(username)s vừa được đổi"),
        }[AccountNotice.Kind(notice.kind)] % {"username": notice.user.username}
        context = {
            "notice": notice,
            "kind": notice.kind,
            "username": notice.user.username,
            "to_name": message.to_name,
            "at": timezone.localtime(notice.created_at),
            "hours": settings.TEMPORARY_PASSWORD_HOURS,
            "url": ics.site_url(reverse("accounts:account")),
            "SITE_NAME": settings.SITE_NAME,
            "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        }
        text = render_to_string("notifications/email/account_notice.txt", context)
        html = render_to_string("notifications/email/account_notice.html", context)
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=_to(message),
        headers=_headers(message),
    )
    email.attach_alternative(html, "text/html")
    return email


def build_generic_message(message: OutboxMessage, event: Event) -> EmailMultiAlternatives:
    """A notice that is not about a meeting (Event.Kind.NOTICE): its title, body and link."""
    with override("vi"):
        context = {
            "event": event,
            "to_name": message.to_name,
            "url": ics.site_url(event.link) if event.link else "",
            "SITE_NAME": settings.SITE_NAME,
            "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        }
        text = render_to_string("notifications/email/notice.txt", context)
        html = render_to_string("notifications/email/notice.html", context)
    email = EmailMultiAlternatives(
        subject=" ".join(event.title.split())[:250],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=_to(message),
        headers=_headers(message),
    )
    email.attach_alternative(html, "text/html")
    return email


def build_message(message: OutboxMessage) -> EmailMultiAlternatives:
    if message.notice_id:
        return build_notice_message(message)
    event = message.event
    assert event is not None
    if event.meeting_id is None:
        return build_generic_message(message, event)
    with override("vi"):
        context = context_for(event, message.to_name)
        subject = subject_for(event)
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=_to(message),
        headers=_headers(message),
    )
    email.attach_alternative(html, "text/html")
    if event.kind == Kind.MINUTES:
        return email  # about the record, not the calendar: no invitation to add or change
    invitation = ics.invitation(
        event.snapshot, method=event.method, attendee=(message.to_email, message.to_name)
    )
    email.attach("cuoc-hop.ics", invitation, f"text/calendar; method={event.method}")
    return email
