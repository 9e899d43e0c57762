"""What every admin page of the product shares."""

from typing import Any

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_inputs import BadInputAdminMixin
from core.services import deactivate, reactivate


class AccessibleAdminMixin(BadInputAdminMixin, admin.ModelAdmin):
    """Gives screen readers names Django's admin leaves out (checked by axe-core in the browser
    tests): the inputs of list_editable columns, built in Python with no label, and the
    autocomplete boxes (static/js/admin_a11y.js)."""

    class Media:
        js = ["js/admin_a11y.js"]

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> type[forms.ModelForm]:
        base = super().get_changelist_form(request, **kwargs)

        class LabelledRowForm(base):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    field.widget.attrs.setdefault("aria-label", f"{field.label}: {self.instance}")

        return LabelledRowForm


class DeactivatableAdmin(AccessibleAdminMixin, admin.ModelAdmin):
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


class ReadOnlyAdminMixin(BadInputAdminMixin):
    """For records that are evidence (audit log, login log): nobody adds, edits or deletes them,
    not even an admin; they are only read and filtered."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(LogEntry)


# What people wrote in a meeting is theirs and the meeting's: the IT centre reads who changed
# what and when, not the text (least privilege). The entries keep the text for an inquiry run
# with the database's owner.
CONTENT_MODELS = {("comments", "comment"), ("comments", "summary")}


def _is_content(entry: LogEntry) -> bool:
    content_type = entry.content_type
    return (content_type.app_label, content_type.model) in CONTENT_MODELS


@admin.register(LogEntry)
class AuditLogAdmin(ReadOnlyAdminMixin, LogEntryAdmin):
    # Not "changes" nor "object_repr": a search would find comments by their words.
    search_fields = ["actor__username", "actor__full_name"]

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        entry = super().get_object(request, object_id, from_field)
        if entry is not None and _is_content(entry):
            # Shown as the page's title; the entry is read-only and never saved from here.
            entry.object_repr = f"{entry.content_type} #{entry.object_pk}"
        return entry

    @admin.display(description=_("Đối tượng"))
    def resource_url(self, obj: LogEntry) -> str:
        if _is_content(obj):
            return f"{obj.content_type} #{obj.object_pk}"
        return super().resource_url(obj)

    @admin.display(description=_("Thay đổi"))
    def msg(self, obj: LogEntry) -> str:
        if _is_content(obj):
            fields = ", ".join(obj.changes_dict)
            return _(
                "Nội dung không hiển thị với quản trị hệ thống (trường thay đổi: %(fields)s)."
            ) % {"fields": fields or "-"}
        return super().msg(obj)
