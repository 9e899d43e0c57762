"""Named attendees and the roll are records: every change goes to the audit log (D3)."""

from auditlog.registry import auditlog

from .models import Attendee, Presence, Reply

auditlog.register(Reply)
auditlog.register(Attendee)
auditlog.register(Presence)
