"""The IT centre's view of documents and downloads: read-only, filterable (M3, M7)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ReadOnlyAdminMixin
from meetings.models import Meeting

from .models import Document, Download


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "number", "meeting", "type", "deleted_at", "created_at"]
    list_filter = ["type", "field", "deleted_at"]
    search_fields = ["title", "number", "meeting__title"]
    list_select_related = ["meeting", "type"]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm("documents.list_in_admin")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        # Documents of drafts are their organisers' only (documents/rules.py).
        return super().get_queryset(request).exclude(meeting__status=Meeting.Status.DRAFT)


@admin.register(Download)
class DownloadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "unit", "document", "version"]
    list_filter = ["unit", "at"]
    search_fields = ["user__username", "document__title"]
    list_select_related = ["user", "unit", "document", "version"]
    date_hierarchy = "at"
