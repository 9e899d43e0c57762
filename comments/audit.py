"""Comments and the consolidated summary are records of the meeting (D3)."""

from auditlog.registry import auditlog

from .models import Comment, Summary

auditlog.register(Comment)
auditlog.register(Summary)
