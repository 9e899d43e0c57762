"""The audit log's list as an Excel workbook (core.exporting, as every other export), saying under
its title which filter made it."""

from auditlog.models import LogEntry
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit_display import (
    action_label,
    actor_name,
    changes_of,
    changes_text,
    event_of,
    kind_label,
    object_name,
)
from core.audit_labels import event_label
from core.exporting import xlsx_response
from core.tables import Table

EXPORT_LIMIT = 10_000


def audit_workbook(entries: QuerySet[LogEntry], filters: str) -> HttpResponse:
    chosen = list(entries.select_related("content_type", "actor")[:EXPORT_LIMIT])
    changes = changes_of(chosen)
    rows = []
    for entry in chosen:
        what = changes_text(entry, changes[entry.pk])
        event = event_label(event_of(entry))
        rows.append(
            [
                entry.timestamp,
                actor_name(entry),
                action_label(entry),
                kind_label(entry.content_type),
                object_name(entry),
                "; ".join(filter(None, [event, what])),
                entry.remote_addr or "",
            ]
        )
    title = _("Nhật ký thay đổi")
    table = Table(
        key="audit-log",
        title=title,
        columns=[
            _("Thời điểm"),
            _("Người thực hiện"),
            _("Thao tác"),
            _("Loại đối tượng"),
            _("Đối tượng"),
            _("Thay đổi"),
            _("Địa chỉ IP"),
        ],
        rows=rows,
        note=(
            _("Chỉ xuất %(limit)d dòng đầu; hãy thu hẹp bộ lọc.") % {"limit": len(rows)}
            if len(rows) >= EXPORT_LIMIT
            else ""
        ),
        empty=_("Không có mục nào."),
    )
    subtitle = _("Bộ lọc: %(filters)s") % {"filters": filters} if filters else _("Tất cả các mục")
    stamp = timezone.localtime().strftime("%d-%m-%Y-%H%M")
    return xlsx_response(title, subtitle, [table], f"nhat-ky-thay-doi-{stamp}.xlsx")
