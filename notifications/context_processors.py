from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from django.http import HttpRequest

from .models import Notification

# Each request's count, forgotten with the request.
_counted: "WeakKeyDictionary[HttpRequest, int]" = WeakKeyDictionary()


def unread_count(request: HttpRequest) -> int:
    """The signed-in account's unread notifications, counted once per request (the bell's ETag
    and the bell itself ask the same)."""
    if request not in _counted:
        _counted[request] = Notification.objects.unread().filter(user=request.user).count()
    return _counted[request]


def inbox(request: HttpRequest) -> dict[str, Callable[[], int] | int]:
    """The bell's unread count; counted only by a page that shows the bell (templates call it)."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    return {"inbox_unread": lambda: unread_count(request)}
