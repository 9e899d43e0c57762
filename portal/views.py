from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.public_cache import public_page
from meetings import selectors

from .todo import todo_with_count

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
    user: User = request.user
    now = timezone.now()
    items, total = todo_with_count(request, now)
    todo = [{"item": item, "overdue": item.is_overdue(now)} for item in items]
    return render(
        request,
        "portal/dashboard.html",
        {
            "board": selectors.dashboard_for(user),
            "todo": todo[:TODO_SHOWN],
            "todo_more": todo[TODO_SHOWN:],
            "todo_total": total,
            # Each app lists at most its first rows; the count says how many there are.
            "todo_hidden": max(0, total - len(todo)),
        },
    )
