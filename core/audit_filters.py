"""The audit log's filters in the admin: by person, kind of record, action, local days, and the
entries of one request. One form in the filter column (a province's log names a thousand
accounts: a list of links would not do), read from the URL like the product's other filters, a
bad value reported next to its box while the others apply."""

from collections.abc import Iterator
from typing import Any, cast

from auditlog.models import LogEntry
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.audit_display import kind_label
from core.dates import within_days
from core.forms import FilterForm, date_filter
from core.text import fold
from core.widgets import LongSelect

SYSTEM = "he-thong"
# What the list's own links and the admin add to its address; the rest is the form's or an error.
ADMIN_PARAMS = {"p", "o", "q", "e", "_facets", "_popup", "_to_field"}


def _actors() -> list[tuple[str, str]]:
    users = get_user_model()._default_manager.filter(
        Exists(LogEntry.objects.filter(actor=OuterRef("pk")))
    )
    return sorted(((str(user.pk), str(user)) for user in users), key=lambda c: fold(c[1]))


def _kinds() -> list[tuple[str, str]]:
    types = ContentType.objects.filter(Exists(LogEntry.objects.filter(content_type=OuterRef("pk"))))
    labels = {str(t.pk): kind_label(t) for t in types}
    seen = list(labels.values())
    # Two models may share a name ("lịch sử"): their apps tell them apart.
    for t in types:
        if seen.count(labels[str(t.pk)]) > 1:
            labels[str(t.pk)] += f" ({apps.get_app_config(t.app_label).verbose_name})"
    return sorted(labels.items(), key=lambda item: fold(item[1]))


class AuditFilterForm(FilterForm):
    actor = forms.ChoiceField(label=_("Người thực hiện"), required=False, widget=LongSelect)
    kind = forms.ChoiceField(label=_("Loại đối tượng"), required=False, widget=LongSelect)
    action = forms.TypedChoiceField(
        label=_("Thao tác"), required=False, coerce=int, empty_value=None
    )
    tu = date_filter(_("Từ ngày"))
    den = date_filter(_("Đến ngày"))
    # The entries one request wrote together (auditlog's correlation id), from an entry's page.
    cid = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone: list[tuple[Any, Any]] = [("", _("Tất cả"))]
        offered = {
            "actor": [*everyone, (SYSTEM, _("Hệ thống")), *_actors()],
            "kind": [*everyone, *_kinds()],
            "action": [
                *everyone,
                *((value, capfirst(label)) for value, label in LogEntry.Action.choices),
            ],
        }
        self.labels = {}
        for name, choices in offered.items():
            cast(forms.ChoiceField, self.fields[name]).choices = choices
            self.labels[name] = {str(value): str(label) for value, label in choices}

    def apply(self, entries: QuerySet[LogEntry]) -> QuerySet[LogEntry]:
        data = self.valid_data()
        if data.get("actor") == SYSTEM:
            entries = entries.filter(actor__isnull=True)
        elif data.get("actor"):
            entries = entries.filter(actor_id=data["actor"])
        if data.get("kind"):
            entries = entries.filter(content_type_id=data["kind"])
        if data.get("action") is not None:
            entries = entries.filter(action=data["action"])
        if data.get("cid"):
            entries = entries.filter(cid=data["cid"])
        return entries.filter(**within_days("timestamp", data.get("tu"), data.get("den")))

    def describe(self) -> str:
        """Which filter made a list: "Người thực hiện: …; Từ ngày: 01/12/2026"."""
        data = self.valid_data()
        parts = []
        for name in ("actor", "kind", "action"):
            if data.get(name) is not None:
                label = self.labels[name].get(str(data[name]))
                parts.append(f"{self.fields[name].label}: {label}")
        for name in ("tu", "den"):
            if data.get(name):
                parts.append(f"{self.fields[name].label}: {data[name]:%d/%m/%Y}")
        if data.get("cid"):
            parts.append(str(_("các thay đổi cùng một lượt thao tác")))
        return "; ".join(parts)


class AuditLogFilter(admin.ListFilter):
    """Django's admin hands a list filter the parameters it knows; this one takes the form's."""

    title = _("Lọc nhật ký")
    template = "admin/core/audit_filter.html"

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        super().__init__(request, params, model, model_admin)
        data = {}
        for name in AuditFilterForm.base_fields:
            if name in params:
                data[name] = params.pop(name)[-1]
                self.used_parameters[name] = data[name]
        self.form = AuditFilterForm(data or None)
        self.form.is_valid()
        # The search and the order stay when the form is sent again.
        self.kept = [
            (name, value)
            for name, values in request.GET.lists()
            if name in ADMIN_PARAMS - {"p", "e"}
            for value in values
        ]

    def has_output(self) -> bool:
        return True

    def choices(self, changelist: Any) -> Iterator[Any]:
        yield from ()  # the template shows the form

    def queryset(self, request: HttpRequest, queryset: QuerySet[LogEntry]) -> QuerySet[LogEntry]:
        return self.form.apply(queryset)

    def expected_parameters(self) -> list[str | None]:
        return list(AuditFilterForm.base_fields)
