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
    """The field's widget with Bootstrap's class, marked invalid when it has errors."""
    attrs: dict[str, Any] = {"class": css_class + (" is-invalid" if field.errors else "")}
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=attrs)
