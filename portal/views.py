from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from accounts.models import User


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public front page. The public schedule (S1) grows here with the meetings capability."""
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    return render(request, "portal/home.html")


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    """Hướng dẫn sử dụng (P3): what each role does, readable without signing in."""
    return render(request, "portal/help.html", {"roles": User.Role})


@require_GET
@login_required
@permission_required("portal.view_dashboard", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/dashboard.html")
