from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def widget_type(field: BoundField) -> str:
    return field.field.widget.__class__.__name__.lower().replace("input", "").replace("widget", "")


@register.simple_tag
def bs_widget(field: BoundField, css_class: str) -> SafeString:
    """The field's widget with Bootstrap's class, marked invalid when it has errors, and described
    by its help text and its errors (the ids bs_field.html gives them)."""
    attrs: dict[str, Any] = {"class": css_class + (" is-invalid" if field.errors else "")}
    described_by = []
    if field.help_text and field.auto_id:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors and field.auto_id:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
