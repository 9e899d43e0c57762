"""Telling the invitees that the minutes are published (B7), through the notifications app.

The minutes sit above `notifications` and use it downward: one "changed" event whose change line
reads "minutes approved", with the inbox lines and the e-mails for every account and address the
meeting's invitations reach (and its secretary and chair), except the approver. Written in the
approval's transaction; the worker sends the e-mails after the commit."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from notifications import services as notifications
from notifications.models import Event

from .models import Minutes


def minutes_published(minutes: Minutes, *, by: User) -> Event | None:
    meeting = minutes.meeting
    people = notifications.audience(
        notifications._of(meeting.invitations.all()), meeting=meeting, exclude_user=by.pk
    )
    event = notifications._emit(meeting, Event.Kind.CHANGED, people, changes=[])
    if event is None:
        return None
    with override(settings.LANGUAGE_CODE):
        event.changes = [
            {
                "kind": "minutes_approved",
                "label": _("Biên bản cuộc họp đã được phê duyệt"),
                "summary": _("Biên bản số %(number)s; xem và tải về trên trang cuộc họp.")
                % {"number": minutes.number},
                "details": [],
            }
        ]
    event.save(update_fields=["changes"])
    return event
