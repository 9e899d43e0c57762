"""Every change to documents and their versions goes to the audit log (D3)."""

from auditlog.registry import auditlog

from .models import Document, DocumentVersion

auditlog.register(Document, exclude_fields=["updated_at"])
auditlog.register(DocumentVersion)
