"""Every change to meetings and invitees goes to the audit log (D3)."""

from auditlog.registry import auditlog

from .models import Invitation, Meeting, MeetingSeries

auditlog.register(Meeting, exclude_fields=["revision", "updated_at"])
auditlog.register(Invitation)
auditlog.register(MeetingSeries)
