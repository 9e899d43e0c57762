from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from .menu_count import menu_count


def todo(request: HttpRequest) -> dict[str, Callable[[], int] | int]:
    """The menu's to-do count; read (from the cache, portal.menu_count) only by a page that shows
    the menu's link, once per request (templates call it)."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"todo_count": 0}
    return {"todo_count": lambda: menu_count(request)}
