from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.kept import kept_rows
from accounts.models import User

from .models import Notification

# Each request's count, forgotten with the request.
_counted: "WeakKeyDictionary[HttpRequest, int]" = WeakKeyDictionary()


def unread_count(request: HttpRequest) -> int:
    """The signed-in account's unread notifications, counted once per request (the bell's ETag
    and the bell itself ask the same)."""
    if request not in _counted:
        # Asked by every signed-in page: the query kept per shape of account (accounts.kept).
        rows = kept_rows("notifications.unread", _unread, request.user, timezone.now())  # type: ignore[arg-type]
        _counted[request] = rows[0] if rows else 0
    return _counted[request]


def _unread(user: User, now: Any) -> QuerySet[Notification, int]:
    # The count as a row (a queryset, which may be kept, where .count() is not): none when none.
    mine = Notification.objects.unread().filter(user_id=user.id).values("user_id")
    return mine.annotate(n=Count("pk")).values_list("n", flat=True)


def inbox(request: HttpRequest) -> dict[str, Callable[[], int] | int]:
    """The bell's unread count; counted only by a page that shows the bell (templates call it)."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    return {"inbox_unread": lambda: unread_count(request)}
