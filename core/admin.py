"""What every admin page of the product shares."""

from typing import Any

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.services import deactivate, reactivate


class DeactivatableAdmin(admin.ModelAdmin):
    """Records that meetings refer to are deactivated, never deleted (A1, A5)."""

    actions = ["deactivate_selected", "reactivate_selected"]
    list_per_page = 50

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Ngừng hoạt động các mục đã chọn"))
    def deactivate_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = deactivate(objects=queryset)
        self.message_user(
            request,
            ngettext(
                "Đã ngừng hoạt động %(count)d mục.", "Đã ngừng hoạt động %(count)d mục.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Cho hoạt động lại các mục đã chọn"))
    def reactivate_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = reactivate(objects=queryset)
        self.message_user(
            request,
            ngettext(
                "Đã cho hoạt động lại %(count)d mục.", "Đã cho hoạt động lại %(count)d mục.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


# The audit log is evidence: nobody edits or deletes it, not even an admin.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogAdmin(LogEntryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
