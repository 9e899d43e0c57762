"""Votes are records (D3): opening and closing, and a named vote's choices, go to the audit log.

Deliberately NOT registered: `Option` (its tally moves with every ballot, and a log entry per
move would time-stamp each secret choice) and `Participation` (who took part is the named
list's business for a named vote and must not gain a time for a secret one)."""

from auditlog.registry import auditlog

from .models import Choice, Vote

auditlog.register(Vote)
auditlog.register(Choice)
