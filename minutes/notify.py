"""Telling the invitees that the minutes are published (B7), through the notifications app.

The minutes sit above `notifications` and use it downward: one "minutes" event, with the inbox lines
and the e-mails for every account and address the meeting's invitations reach (and its secretary
and chair), except the approver. Written in the approval's transaction; the worker sends the
e-mails after the commit."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from notifications import services as notifications
from notifications.models import Event

from .models import Minutes


def minutes_published(minutes: Minutes, *, by: User) -> Event | None:
    with override(settings.LANGUAGE_CODE):
        row = {
            "kind": "minutes_approved",
            "label": _("Biên bản cuộc họp đã được phê duyệt"),
            "summary": _("Biên bản số %(number)s; xem và tải về trên trang cuộc họp.")
            % {"number": minutes.number},
        }
    return notifications.tell_invitees(
        minutes.meeting, Event.Kind.MINUTES, rows=[row], exclude_user=by.pk
    )
