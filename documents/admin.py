"""The IT centre's view of documents and downloads: read-only, filterable (M3, M7)."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import Document, Download


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "number", "meeting", "type", "deleted_at", "created_at"]
    list_filter = ["type", "field", "deleted_at"]
    search_fields = ["title", "number", "meeting__title"]
    list_select_related = ["meeting", "type"]


@admin.register(Download)
class DownloadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "unit", "document", "version"]
    list_filter = ["unit", "at"]
    search_fields = ["user__username", "document__title"]
    list_select_related = ["user", "unit", "document", "version"]
    date_hierarchy = "at"
