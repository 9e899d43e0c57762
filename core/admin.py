"""What every admin page of the product shares, and the audit log as the IT centre reads it."""

from typing import Any
from urllib.parse import urlencode

import auditlog.admin  # noqa: F401 (registers django-auditlog's own admin, replaced below)
from auditlog.models import LogEntry
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_inputs import BadInputAdminMixin, BoundedDatesChangeList
from core.audit_display import (
    EMPTY,
    action_label,
    actor_name,
    changes_of,
    content_note,
    event_of,
    extra_data,
    is_content,
    object_title,
    summary,
)
from core.audit_export import audit_workbook
from core.audit_filters import AuditLogFilter
from core.audit_labels import event_label
from core.audit_links import link_entries
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


class AuditChangeList(BoundedDatesChangeList):
    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        link_entries(self.result_list, request, self.model_admin.admin_site)


@admin.register(LogEntry)
class AuditLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Nhật ký thay đổi (D3), read by the IT centre: who, what, when and the values before and
    after in plain Vietnamese (core.audit_display), filtered (core.audit_filters) and exported."""

    list_display = ["when", "who", "action_label", "what", "summary"]
    list_display_links = ["when"]
    list_filter = [AuditLogFilter]
    list_select_related = ["content_type", "actor"]
    # Not "changes" nor "object_repr": a search would find comments by their words.
    search_fields = ["actor__username", "actor__full_name"]
    list_per_page = 50
    show_facets = admin.ShowFacets.NEVER
    empty_value_display = EMPTY
    change_list_template = "admin/core/audit_change_list.html"
    change_form_template = "admin/core/audit_change_form.html"

    class Media:
        css = {"all": ["css/admin_audit.css"]}

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return AuditChangeList

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        first = ["when", "who", "what", "action_label", "address"]
        then = [
            name
            for name, shown in (
                ("event", obj is not None and event_of(obj)),
                ("changes_table", obj is not None and obj.changes_dict),
                ("extra", obj is not None and extra_data(obj)),
                ("same_request", obj is not None and obj.cid),
            )
            if shown
        ]
        return (
            [(None, {"fields": first}), (_("Thay đổi"), {"fields": then})]
            if then
            else [(None, {"fields": first})]
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [
            name
            for _title, fieldset in self.get_fieldsets(request, obj)
            for name in fieldset["fields"]
        ]

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        entry = super().get_object(request, object_id, from_field)
        if entry is not None:
            link_entries([entry], request, self.admin_site)
            if is_content(entry.content_type):
                # Shown as the page's title; the entry is read-only and never saved from here.
                entry.object_repr = object_title(entry)
        return entry

    def get_urls(self) -> list[Any]:
        export = self.admin_site.admin_view(self.export_view)
        return [
            path("xuat-excel.xlsx", export, name="auditlog_logentry_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        query = sorted(
            (k, v) for k, values in request.GET.lists() for v in values if k not in ("p", "e")
        )
        return super().changelist_view(
            request, {**(extra_context or {}), "export_query": urlencode(query)}
        )

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The list as it is filtered, searched and ordered, as a workbook that says so."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:auditlog_logentry_changelist") + "?e=1")
        described = [
            spec.form.describe()
            for spec in changelist.filter_specs
            if isinstance(spec, AuditLogFilter)
        ]
        if changelist.query:
            described.append(_("Tìm: %(query)s") % {"query": changelist.query})
        return audit_workbook(changelist.get_queryset(request), "; ".join(filter(None, described)))

    @admin.display(description=_("Thời điểm"), ordering="timestamp")
    def when(self, obj: LogEntry) -> str:
        return timezone.localtime(obj.timestamp).strftime("%d/%m/%Y %H:%M")

    @admin.display(description=_("Người thực hiện"), ordering="actor__full_name")
    def who(self, obj: LogEntry) -> str:
        url = getattr(obj, "actor_url", "")
        return format_html('<a href="{}">{}</a>', url, actor_name(obj)) if url else actor_name(obj)

    @admin.display(description=_("Thao tác"), ordering="action")
    def action_label(self, obj: LogEntry) -> str:
        return action_label(obj)

    @admin.display(description=_("Đối tượng"))
    def what(self, obj: LogEntry) -> str:
        url = getattr(obj, "object_url", "")
        title = object_title(obj)
        return format_html('<a href="{}">{}</a>', url, title) if url else title

    @admin.display(description=_("Thay đổi"))
    def summary(self, obj: LogEntry) -> str:
        return summary(obj)

    @admin.display(description=_("Địa chỉ IP"))
    def address(self, obj: LogEntry) -> str:
        return obj.remote_addr or EMPTY

    @admin.display(description=_("Sự kiện"))
    def event(self, obj: LogEntry) -> str:
        name = event_of(obj)
        return event_label(name) or str(name or "")

    @admin.display(description=_("Giá trị trước và sau"))
    def changes_table(self, obj: LogEntry) -> str:
        rows = changes_of([obj])[obj.pk]
        if is_content(obj.content_type):
            return content_note(rows)
        return format_html(
            '<table class="audit-changes"><thead><tr><th scope="col">{}</th><th scope="col">{}'
            '</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Trường"),
            _("Trước"),
            _("Sau"),
            format_html_join(
                "",
                '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
                ((row.label, row.before, row.after) for row in rows),
            ),
        )

    @admin.display(description=_("Thông tin thêm"))
    def extra(self, obj: LogEntry) -> str:
        return "; ".join(f"{label}: {value}" for label, value in extra_data(obj))

    @admin.display(description=_("Cùng lượt thao tác"))
    def same_request(self, obj: LogEntry) -> str:
        url = reverse("admin:auditlog_logentry_changelist") + "?" + urlencode({"cid": obj.cid})
        return format_html('<a href="{}">{}</a>', url, _("Xem các thay đổi ghi cùng lượt"))
