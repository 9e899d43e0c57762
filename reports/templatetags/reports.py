from typing import Any

from django import template
from django.utils.html import format_html

from reports.tables import Link, Rate, text

register = template.Library()


@register.simple_tag
def cell(value: Any, links: bool = True) -> str:
    """A report cell: numbers in the reader's format, links on screen, plain text in print."""
    if isinstance(value, Link):
        if links:
            return format_html('<a href="{}">{}</a>', value.url, value.text)
        return value.text
    return text(value)


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Rate) and not isinstance(value, bool)
