"""Written-opinion requests and their answers are records: creating, sending, closing a request
and every answer given or changed go to the audit log (with the account, from the request)."""

from auditlog.registry import auditlog

from .models import Answer, OpinionRequest

auditlog.register(OpinionRequest, exclude_fields=["updated_at", "reminded_at"])
auditlog.register(Answer)
