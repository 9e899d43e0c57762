"""An audit log entry as the IT centre reads it (D3): the record by its kind and name, the person,
and each change as "label: before → after" with the values as people write them (Có/Không, a
choice's label, a related record's name, local dd/mm/yyyy HH:mm times, "—" for nothing).

django-auditlog stores every value as text and, for a model's changes, also the reverse relations
("accounts.User.None"): only the model's own fields (and its own many-to-many) are shown. What
people wrote in a meeting (comments and their summary) is theirs and the meeting's: the IT centre
reads who changed it and which fields, never the values (least privilege); the entries keep the
text for an inquiry run with the database's owner."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.audit_labels import event_label, key_label, value_label

CONTENT_MODELS = {("comments", "comment"), ("comments", "summary")}
EMPTY = "—"
SHOWN_IN_SUMMARY = 4
M2M_OPERATIONS = {
    "add": gettext_lazy("thêm"),
    "remove": gettext_lazy("bỏ"),
    "clear": gettext_lazy("bỏ hết"),
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def kind_label(content_type: ContentType) -> str:
    """ "Đơn vị", "Tài khoản": the model's own name, not "Tổ chức và tài khoản | đơn vị"."""
    model = content_type.model_class()
    if model is None:  # a model removed since
        return content_type.model
    return str(capfirst(model._meta.verbose_name))


def is_content(content_type: ContentType) -> bool:
    return (content_type.app_label, content_type.model) in CONTENT_MODELS


def object_name(entry: LogEntry) -> str:
    """The record's name as it was when logged; a comment by its number only."""
    if is_content(entry.content_type):
        return f"#{entry.object_pk}"
    return entry.object_repr


def object_title(entry: LogEntry) -> str:
    """ "Đơn vị: Sở Tài chính"; "Góp ý #12"."""
    if is_content(entry.content_type):
        return f"{kind_label(entry.content_type)} #{entry.object_pk}"
    return f"{kind_label(entry.content_type)}: {entry.object_repr}"


def actor_name(entry: LogEntry) -> str:
    if entry.actor is not None:
        return str(entry.actor)
    return entry.actor_email or _("Hệ thống")


def action_label(entry: LogEntry) -> str:
    return str(capfirst(entry.get_action_display()))


def event_of(entry: LogEntry) -> str | None:
    data = entry.additional_data
    return data.get("event") if isinstance(data, dict) else None


# ---- fields and values --------------------------------------------------------------------------


def own_field(model: type[models.Model] | None, key: str) -> tuple[bool, models.Field | None]:
    """Whether a key is shown, and the model's own field it names (None for a key that is no
    field, as an event's "locked"). Not shown: a reverse relation, the automatic id."""
    if model is None:
        return True, None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return True, None
    if not isinstance(field, models.Field) or field.auto_created:
        return False, None
    return bool(field.concrete or field.many_to_many), field


def _moment(raw: str) -> str:
    """auditlog writes a moment in UTC without its zone ("2026-12-05 11:48:36.529693")."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return raw
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _day(raw: str) -> str:
    try:
        return date.fromisoformat(raw).strftime("%d/%m/%Y")
    except ValueError:
        return raw


def _clock(raw: str) -> str:
    try:
        return time.fromisoformat(raw).strftime("%H:%M")
    except ValueError:
        return raw


def _yes_no(raw: str) -> str | None:
    return {"True": _("Có"), "False": _("Không")}.get(raw)


def shown_value(field: models.Field | None, raw: Any, names: dict[tuple[Any, str], str]) -> str:
    if raw is None or raw in ("None", ""):
        return EMPTY
    raw = str(raw)
    if field is None:
        return _yes_no(raw) or raw
    if field.flatchoices:
        return str({str(k): v for k, v in field.flatchoices}.get(raw, raw))
    if isinstance(field, models.BooleanField):
        return _yes_no(raw) or raw
    if isinstance(field, models.DateTimeField):
        return _moment(raw)
    if isinstance(field, models.DateField):
        return _day(raw)
    if isinstance(field, models.TimeField):
        return _clock(raw)
    if field.many_to_one or field.one_to_one:
        return names.get((field.related_model, raw), f"#{raw}")
    return raw


class RelatedNames:
    """The names of the records the entries' keys point to, one query per related model."""

    def __init__(self) -> None:
        self.wanted: dict[Any, set[str]] = defaultdict(set)

    def want(self, field: models.Field, values: Iterable[Any]) -> None:
        for value in values:
            if value not in (None, "None", ""):
                self.wanted[field.related_model].add(str(value))

    def resolve(self) -> dict[tuple[Any, str], str]:
        names: dict[tuple[Any, str], str] = {}
        for model, raw_keys in self.wanted.items():
            content_type = ContentType.objects.get_for_model(model)
            keys = {}
            for raw in raw_keys:
                try:
                    keys[raw] = model._meta.pk.to_python(raw)
                except (ValidationError, ValueError, TypeError):
                    continue
            if is_content(content_type):
                label = kind_label(content_type)
                names.update({(model, raw): f"{label} #{raw}" for raw in keys})
                continue
            for obj in model._base_manager.filter(pk__in=keys.values()):
                names[(model, str(obj.pk))] = str(obj)
        return names


def _fields(entry: LogEntry) -> list[tuple[str, models.Field | None, Any]]:
    """(key, field, change) of what the entry changed, the model's own fields in their order and
    the keys that are no field after them."""
    model = entry.content_type.model_class()
    found = []
    for key, change in entry.changes_dict.items():
        shown, field = own_field(model, key)
        if shown:
            found.append((key, field, change))
    order = {f.name: n for n, f in enumerate(model._meta.get_fields())} if model else {}
    return sorted(found, key=lambda item: (item[1] is None, order.get(item[0], 0)))


def label_of(key: str, field: models.Field | None) -> str:
    return str(capfirst(field.verbose_name)) if field is not None else str(capfirst(key_label(key)))


def changes_of(entries: Iterable[LogEntry]) -> dict[int, list[Change]]:
    """Each entry's changes, read for people; the related records' names looked up together."""
    entries = list(entries)
    related = RelatedNames()
    fields = {entry.pk: _fields(entry) for entry in entries}
    for entry in entries:
        if is_content(entry.content_type):
            continue
        for _key, field, change in fields[entry.pk]:
            if field is not None and (field.many_to_one or field.one_to_one):
                related.want(field, change if isinstance(change, list) else [])
    names = related.resolve()
    result = {}
    for entry in entries:
        hidden = is_content(entry.content_type)
        rows = []
        for key, field, change in fields[entry.pk]:
            label = label_of(key, field)
            if hidden:
                rows.append(Change(label, "", ""))
            elif isinstance(change, dict) and change.get("type") == "m2m":
                operation = M2M_OPERATIONS.get(change.get("operation", ""), "")
                objects = ", ".join(str(o) for o in change.get("objects", []))
                rows.append(Change(label, EMPTY, f"{capfirst(operation)}: {objects}"))
            elif isinstance(change, list) and len(change) == 2:
                before, after = (shown_value(field, value, names) for value in change)
                rows.append(Change(label, before, after))
        result[entry.pk] = rows
    return result


def _not_given(field: models.Field | None, raw: Any) -> bool:
    """What a new record was not given: nothing, or a yes/no left as it was."""
    if raw in (None, "None", ""):
        return True
    return isinstance(field, models.BooleanField) and raw == str(field.get_default())


def summary(entry: LogEntry) -> str:
    """What the list says of an entry: the event by its name, or the fields changed (what a new
    record was given), the few first by their labels."""
    event = event_label(event_of(entry))
    if event:
        return event
    if entry.action in (LogEntry.Action.DELETE, LogEntry.Action.ACCESS):
        return ""
    labels = []
    for key, field, change in _fields(entry):
        if field is not None and not field.editable:
            continue  # the automatic times
        created = entry.action == LogEntry.Action.CREATE and isinstance(change, list)
        if created and _not_given(field, change[-1]):
            continue
        labels.append(label_of(key, field))
    shown = ", ".join(labels[:SHOWN_IN_SUMMARY])
    more = len(labels) - SHOWN_IN_SUMMARY
    if more > 0:
        shown += " " + ngettext("và %(count)d trường khác", "và %(count)d trường khác", more) % {
            "count": more
        }
    return shown


def content_note(rows: list[Change]) -> str:
    return _("Nội dung không hiển thị với quản trị hệ thống (trường thay đổi: %(fields)s).") % {
        "fields": ", ".join(row.label for row in rows) or "-"
    }


def changes_text(entry: LogEntry, rows: list[Change]) -> str:
    """One cell of the workbook: "Tên đơn vị: Sở A → Sở B; Đang hoạt động: Có → Không"."""
    if is_content(entry.content_type):
        return content_note(rows)
    return "; ".join(f"{row.label}: {row.before} → {row.after}" for row in rows)


def extra_data(entry: LogEntry) -> list[tuple[str, str]]:
    """What the entry carries besides its changes (who unlocked, how many backup codes are left),
    each by its label."""
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    return [
        (str(capfirst(key_label(key))), _yes_no(str(value)) or value_label(str(value)))
        for key, value in data.items()
        if key != "event"
    ]
