"""The rows of the to-do list (portal/_todo.html), each rendered from its plain values through the
process's memo of fragments (core.fragments)."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString

from core.fragments import fragments

register = template.Library()


@register.simple_tag
def todo_rows(rows: Iterable[dict[str, Any]]) -> list[SafeString]:
    """`rows` as the dashboard gives them: each an `item` (core.todo.TodoItem) and `overdue`."""
    return fragments(
        "portal/_todo_row.html",
        [
            {
                "kind": row["item"].kind,
                "action": str(row["item"].action),
                "title": str(row["item"].title),
                "url": row["item"].url,
                "about": str(row["item"].about),
                "due": row["item"].due,
                "due_day": row["item"].due_day,
                "overdue": bool(row["overdue"]),
            }
            for row in rows
        ],
    )
