from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.kept_parts import KEPT_SECONDS, part_key, with_token, without_tokens
from core.public_cache import public_page
from meetings import selectors

from .todo import note_count, todo_with_count

# The to-do rows shown at once; the others behind "Xem thêm" (a phone's screen or two).
TODO_SHOWN = 10


@require_GET
@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The public front page, with today's public meetings (S1)."""
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    now = timezone.localtime()
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = selectors.public_meetings().filter(
        start_at__gte=day, start_at__lt=day + timedelta(days=1)
    )
    return render(request, "portal/home.html", {"today": today.order_by("start_at")[:20]})


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    """Hướng dẫn sử dụng (P3): what each role does, readable without signing in."""
    return render(
        request,
        "portal/help.html",
        {"roles": User.Role, "temporary_hours": settings.TEMPORARY_PASSWORD_HOURS},
    )


@require_GET
@login_required
@permission_required("portal.view_dashboard", raise_exception=True)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Trang của tôi: the to-do list and the account's meetings (its own parts, kept), under the
    greeting, the banner of calls and the account's cards (made on every request)."""
    now = timezone.now()
    key = _kept_key(request.user, now)
    # Kept with the to-do list's count (the menu shows the same), so not through kept_part; a
    # form's CSRF token is taken out and put back as there. The same account asking again
    # within the minute (a unit checking its page, coming back to it from a meeting) is answered
    # from them while nothing was written (core.changes): 0.5 ms of the cache instead of 20
    # queries and 15 ms of Python at a province's size.
    kept = cache.get(key) if key else None
    if kept is None:
        main, total = _main(request, now)
        main = without_tokens(main)
        if key:
            cache.set(key, (main, total), KEPT_SECONDS)
    else:
        main, total = kept
        note_count(request, total)
    # The text kept is a template's output, escaped as it was rendered.
    main = with_token(main, request)
    return render(request, "portal/dashboard.html", {"main": mark_safe(main)})  # noqa: S308


def _kept_key(user: User, now: datetime) -> str | None:
    """The key of the parts kept for this account, language and minute (of the local clock: the
    days, the meetings going on and the overdue tasks follow it) in this generation of the
    data (core.kept_parts); None while this request's own writes are not committed."""
    return part_key("portal:dashboard", user.pk, now)


def _main(request: AuthenticatedHttpRequest, now: datetime) -> tuple[str, int]:
    """The dashboard's own parts as HTML, and the to-do list's count (the menu shows it)."""
    items, total = todo_with_count(request, now)
    todo = [{"item": item, "overdue": item.is_overdue(now)} for item in items]
    main = render_to_string(
        "portal/_dashboard_main.html",
        {
            "board": selectors.dashboard_for(request.user, now=now),
            "todo": todo[:TODO_SHOWN],
            "todo_more": todo[TODO_SHOWN:],
            "todo_total": total,
            # Each app lists at most its first rows; the count says how many there are.
            "todo_hidden": max(0, total - len(todo)),
        },
        request=request,
    )
    return main, total
