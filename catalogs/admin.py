from django.contrib import admin

from core.admin import DeactivatableAdmin

from .models import (
    DocumentField,
    DocumentRegister,
    DocumentType,
    Location,
    MeetingField,
    MeetingForm,
    MeetingType,
)


class CatalogEntryAdmin(DeactivatableAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order"]
    list_filter = ["is_active"]
    search_fields = ["name", "code", "description"]


@admin.register(MeetingForm)
class MeetingFormAdmin(CatalogEntryAdmin):
    list_display = ["name", "code", "is_in_person", "is_online", "order", "is_active"]


@admin.register(MeetingType)
class MeetingTypeAdmin(CatalogEntryAdmin):
    list_display = ["name", "code", "min_notice_days", "order", "is_active"]


@admin.register(MeetingField)
class MeetingFieldAdmin(CatalogEntryAdmin):
    pass


@admin.register(DocumentType)
class DocumentTypeAdmin(CatalogEntryAdmin):
    pass


@admin.register(DocumentField)
class DocumentFieldAdmin(CatalogEntryAdmin):
    pass


@admin.register(Location)
class LocationAdmin(DeactivatableAdmin):
    list_display = ["name", "unit", "capacity", "has_video_conference", "is_active"]
    list_filter = ["is_active", "has_video_conference", "unit"]
    search_fields = ["name", "address", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


@admin.register(DocumentRegister)
class DocumentRegisterAdmin(DeactivatableAdmin):
    list_display = ["name", "symbol", "year", "unit", "is_active"]
    list_filter = ["is_active", "year", "unit"]
    search_fields = ["name", "symbol", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
