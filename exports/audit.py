"""Every step of an export goes to the audit log (D1, D3): the request and the decision through
the model registry, each download as an explicit entry written by services.export_download."""

from auditlog.registry import auditlog
from django.utils.translation import gettext_lazy as _

from core import audit_labels

from .models import ExportRequest

auditlog.register(
    ExportRequest,
    exclude_fields=["updated_at", "download_count", "last_downloaded_at"],
    m2m_fields={"meetings"},
)

# A download of the archive (services.export_download), named for the IT centre.
audit_labels.register(
    events={"download": _("Tải hồ sơ lưu trữ")},
    keys={"meetings": _("số cuộc họp"), "files": _("số tệp")},
)
