from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind login_required receives: its user is a signed-in account, never
    AnonymousUser, so that the view passes it on typed as it is (healthchecks' `hc.lib` habit)."""

    user: User
