"""The IT centre's view of meetings: searchable and filterable, read-only. Meetings change only
through the product's pages, whose services keep the history, the notice rule and retention."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ReadOnlyAdminMixin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "start_at", "status", "organiser_unit", "is_public", "published_at"]
    list_filter = ["status", "is_public", "type", "organiser_unit", "start_at"]
    search_fields = ["title"]
    date_hierarchy = "start_at"
    list_select_related = ["organiser_unit"]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm("meetings.list_in_admin")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        # A draft is its organisers' only (rules.py); the IT centre sees published meetings.
        return super().get_queryset(request).exclude(status=Meeting.Status.DRAFT)
