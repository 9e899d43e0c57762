"""Every change to documents and their versions goes to the audit log (D3)."""

from auditlog.registry import auditlog
from django.utils.translation import gettext_lazy as _

from core import audit_labels

from .models import Document, DocumentVersion

# The audience of a restricted document (B11) is a many-to-many: logged as its own changes.
auditlog.register(Document, exclude_fields=["updated_at"], m2m_fields={"audience"})
auditlog.register(DocumentVersion)

# A reading of a restricted document (services.restricted_view_record), named for the IT centre.
audit_labels.register(
    events={"restricted_document_viewed": _("Xem tài liệu hạn chế")},
    keys={"where": _("nơi xem")},
    values={"page": _("trang tài liệu")},
)
