"""Turns and the current item are records of the meeting: every change goes to the audit log."""

from auditlog.registry import auditlog

from .models import RoomState, Speech

auditlog.register(RoomState, exclude_fields=["version", "updated_at"])
auditlog.register(Speech, exclude_fields=["updated_at", "position"])
