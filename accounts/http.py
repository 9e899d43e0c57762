from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind login_required receives: its user is a signed-in account, never
    AnonymousUser, so that the view passes it on typed as it is (healthchecks' `hc.lib` habit)."""

    user: User


def user_of(request: HttpRequest) -> User:
    """The signed-in account of a request that only signed-in accounts reach without passing
    through login_required (the admin's actions, the API behind its token check). Should an
    anonymous request ever get there, it is refused, never acted on as nobody."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
