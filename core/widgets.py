"""Select boxes for long lists (a province's 1 000 units).

Django writes each <option> through its own template include (`select_option.html`); at 1 000
options that was most of a list page's time (about 20 ms of the unit's meeting list). These write
the same markup in Python: the same attributes, escaping and selected option, and the same
`optgroups` Django computes, so forms and tests see no difference."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _render(widget: forms.Select, name: str, value: Any, attrs: Any) -> SafeString:
    context = widget.get_context(name, value, attrs)["widget"]
    parts: list[str] = [
        format_html('<select name="{}"{}>', context["name"], flatatt(context["attrs"]))
    ]
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        parts.extend(
            format_html(
                '<option value="{}"{}>{}</option>',
                option["value"],
                flatatt(option["attrs"]),
                option["label"],
            )
            for option in options
        )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every part is format_html's)


class LongSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return _render(self, name, value, attrs)
