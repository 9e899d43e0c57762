"""Names for what the audit log records besides a model's own fields, filled by the apps that write
them (when their audit registrations load, from `AppConfig.ready`): the events a service logs by
hand (`additional_data["event"]`, e.g. "unlock"), the keys such an entry carries that are no field
of the model ("locked", "two_factor", "by") and the words in them ("page"). The audit log's pages
read them here, so that the IT centre reads "Mở khoá đăng nhập", not "1 change: locked"."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

_EVENTS: dict[str, "StrOrPromise"] = {}
_KEYS: dict[str, "StrOrPromise"] = {}
_VALUES: dict[str, "StrOrPromise"] = {}


def register(
    *,
    events: dict[str, "StrOrPromise"] | None = None,
    keys: dict[str, "StrOrPromise"] | None = None,
    values: dict[str, "StrOrPromise"] | None = None,
) -> None:
    """`values`: the words such an entry's extra data holds ("page" for where a document was
    read); an event's name there reads as the event."""
    _EVENTS.update(events or {})
    _KEYS.update(keys or {})
    _VALUES.update(values or {})


def event_label(name: object) -> str | None:
    """The event's name as people say it, or None for an event nobody named."""
    label = _EVENTS.get(name) if isinstance(name, str) else None
    return None if label is None else str(label)


def key_label(key: str) -> str:
    """The label of a key that is no field of the model; an unnamed one keeps its own name."""
    return str(_KEYS.get(key, key))


def value_label(value: str) -> str:
    return str(_VALUES.get(value) or _EVENTS.get(value) or value)
