"""The IT centre's view of meetings: searchable and filterable, read-only. Meetings change only
through the product's pages, whose services keep the history, the notice rule and retention."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "start_at", "status", "organiser_unit", "is_public", "published_at"]
    list_filter = ["status", "is_public", "type", "organiser_unit", "start_at"]
    search_fields = ["title", "agenda"]
    date_hierarchy = "start_at"
    list_select_related = ["organiser_unit"]
