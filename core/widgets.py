"""Select boxes for long lists (a province's 1 000 units).

Django builds a model instance per option (`ModelChoiceIterator`), a dictionary per option
(`optgroups`) and writes each <option> through its own template include; at 1 000 units that was
most of a list page's time (70 ms of the clerk's meeting list at 100 000 meetings). `LongSelect`
writes the same markup in Python, and `LongModelChoiceField` lists its options from two columns
rather than whole rows; `CheckboxList` and `LongModelMultipleChoiceField` do the same for a
list of checkboxes (several units to choose). What a form validates and returns is unchanged:
the field still looks the chosen object up in its queryset."""

import html
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class LongSelect(forms.Select):
    """Django's <select> markup (attributes, escaping, optgroups, the first matching option
    selected), written without a template per option. The options' markup is kept per process
    for the same options (`_options_html`), the choice marked in it: the search form of every
    meeting list writes the province's 1 000 units on each page, the same each time."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        written = "".join(
            f" {key}" if item is True else f' {key}="{escape(item)}"'
            for key, item in attrs.items()
            if item is not False
        )
        options, places = _options_html(tuple(_as_text(self.choices)))
        # The first option (in the list's order) whose value was chosen is selected, as Django
        # selects it.
        chosen = [places[v] for v in {str(v) for v in self.format_value(value)} if v in places]
        if chosen:
            at = min(chosen)
            options = f"{options[:at]} selected{options[at:]}"
        # Every value and label escaped (`_options_html`), the attributes above.
        return mark_safe(f'<select name="{escape(name)}"{written}>{options}</select>')  # noqa: S308


def _as_text(choices: Any) -> Iterator[tuple[str, Any]]:
    """The choices as text, groups as tuples: what the markup is made of, and a key for it (a
    label translated lazily is its text in the language of this request)."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield str(value), tuple((_value_text(v), str(sub)) for v, sub in label)
        else:
            yield _value_text(value), str(label)


def _value_text(value: Any) -> str:
    return "" if value is None else str(value)


# A handful of option lists a process (the units, the organising units, the catalogs), each
# about 100 kB at a province's size.
@lru_cache(maxsize=16)
def _options_html(choices: tuple[tuple[str, Any], ...]) -> tuple[str, dict[str, int]]:
    """The <option>s (and <optgroup>s), none selected, and where in that text to write
    " selected" for each value: the end of its first option's opening tag."""
    parts: list[str] = []
    places: dict[str, int] = {}
    length = 0

    def add(text: str) -> None:
        nonlocal length
        parts.append(text)
        length += len(text)

    def option(value: str, label: str) -> None:
        # The standard library's escape, which Django's `escape` wraps (and marks safe): the
        # same text, without the lazy-string check and the wrapping, 1 000 options a page.
        opening = f'<option value="{html.escape(value)}"'
        places.setdefault(value, length + len(opening))
        add(f"{opening}>{html.escape(label)}</option>")

    for value, label in choices:
        if isinstance(label, tuple):
            add(f'<optgroup label="{html.escape(value)}">')
            for sub_value, sub_label in label:
                option(sub_value, sub_label)
            add("</optgroup>")
        else:
            option(value, label)
    return "".join(parts), places


class _Columns(ModelChoiceIterator):
    """(pk, label) pairs read as two columns, no model instances."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", getattr(self.field, "label_field", "name"))

    def __len__(self) -> int:
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class LongModelChoiceField(forms.ModelChoiceField):
    iterator = _Columns
    widget = LongSelect

    def __init__(self, queryset: Any, *, label_field: str = "name", **kwargs: Any) -> None:
        self.label_field = label_field
        super().__init__(queryset, **kwargs)


class CheckboxList(forms.CheckboxSelectMultiple):
    """Django's checkbox list, written without a template per option (a province's units), as
    Bootstrap's form-check rows each marked `data-checklist-item` so that a search box can hide
    those that do not match."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        base = str(attrs.pop("id", name))
        chosen = {str(v) for v in self.format_value(value)}
        rows = []
        for index, (option_value, label) in enumerate(self.choices):
            value_text = "" if option_value is None else str(option_value)
            checked = " checked" if value_text in chosen else ""
            box_id = f"{base}_{index}"
            rows.append(
                f'<div class="form-check" data-checklist-item><input class="form-check-input" '
                f'type="checkbox" name="{escape(name)}" value="{escape(value_text)}" '
                f'id="{escape(box_id)}"{checked}><label class="form-check-label" '
                f'for="{escape(box_id)}">{escape(label)}</label></div>'
            )
        extra = "".join(
            f" {key}" if item is True else f' {key}="{escape(item)}"'
            for key, item in attrs.items()
            if item is not False and item is not None
        )
        return mark_safe(f'<div id="{escape(base)}"{extra}>{"".join(rows)}</div>')  # noqa: S308

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_


class LongModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows, listed from two columns (as `LongModelChoiceField`)."""

    iterator = _Columns
    widget = CheckboxList

    def __init__(self, queryset: Any, *, label_field: str = "name", **kwargs: Any) -> None:
        self.label_field = label_field
        super().__init__(queryset, **kwargs)
