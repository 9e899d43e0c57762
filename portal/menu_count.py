"""The to-do count beside "Trang của tôi" in the menu of every page, kept in the cache a short
while. Counting is one query (portal.todo), a count of seven selectors' rows, whose statement is
built once a minute for all the accounts of a shape (portal.todo.kept_statement); every page
shows it.

The count kept is read again at once when one of the account's versions changes (core.polling:
the account itself, and what its banner of calls shows of it: a ballot cast for its invitation,
a mark in the roll), when the account itself sends a form (ForgetMenuCountAfterActing) and on
the dashboard, which counts its list afresh. What others do for the account (a vote opened, a
task given, minutes to approve, a colleague's reply for the unit) shows in the menu within
MENU_COUNT_SECONDS; a vote opened shows at once in the banner of calls."""

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from core import polling
from meetings import polling as polls

from .todo import count_for_request, counted_for_request

MENU_COUNT_SECONDS = 30


def _key(pk: int) -> str:
    return f"portal:todo-menu:{pk}"


def menu_count(request: HttpRequest) -> int:
    user = request.user
    if not isinstance(user, User):
        return 0
    versions = [polling.account_version(user.pk), polls.version("calls", user.pk)]
    # Read before counting: a change committed meanwhile makes the next page count again.
    tag = polling.peek_tag(polling.Watch(versions=versions))
    fresh = counted_for_request(request)
    kept = cache.get(_key(user.pk))
    if fresh is None:
        if kept is not None and kept[0] == tag:
            return int(kept[1])
        fresh = count_for_request(request)
    elif kept == (tag, fresh):
        # The dashboard's own count, the same as kept: not written again (a file written and
        # renamed with the embedded cache, half a millisecond of every dashboard).
        return fresh
    cache.set(_key(user.pk), (tag, fresh), MENU_COUNT_SECONDS)
    return fresh


class ForgetMenuCountAfterActing:
    """After a form sent by a signed-in account (replying, approving, accepting a task...), its
    next page counts its to-do list again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in ("GET", "HEAD", "OPTIONS") and isinstance(user, User):
            cache.delete(_key(user.pk))
        return response
