"""Notices and tasks are records (D3): their changes go to the audit log. A task's own history
(TaskStep) is the record of each step and is not logged again."""

from auditlog.registry import auditlog

from .models import Notice, Task

auditlog.register(Notice)
auditlog.register(Task, m2m_fields={"cooperating"})
