"""Every change to documents and their versions goes to the audit log (D3)."""

from auditlog.registry import auditlog

from .models import Document, DocumentVersion

# The audience of a restricted document (B11) is a many-to-many: logged as its own changes.
auditlog.register(Document, exclude_fields=["updated_at"], m2m_fields={"audience"})
auditlog.register(DocumentVersion)
