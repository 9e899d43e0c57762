from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from .models import Notification


def inbox(request: HttpRequest) -> dict[str, Callable[[], int] | int]:
    """The bell's unread count; counted only by a page that shows the bell (templates call it)."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    cache: dict[str, int] = {}

    def unread() -> int:
        if "n" not in cache:
            cache["n"] = Notification.objects.unread().filter(user=user).count()
        return cache["n"]

    return {"inbox_unread": unread}
