from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.models import User

from .selectors import account_key

# The signed-in pages a device keeps as they are visited, for reading them offline: the shell
# (dashboard, meeting list, account), the meetings' pages and the account's notes. The viewer's
# pages are kept only with a kept meeting (offline.selectors), where their PDFs are kept too.
KEPT_PAGES = frozenset(
    {
        "portal:dashboard",
        "meetings:list",
        "meetings:detail",
        "accounts:account",
        "notes:mine",
    }
)


class OfflinePagesMiddleware:
    """Tells the service worker whose page this is (X-Offline-Account: the account's key on
    devices, so that it keeps each account's pages apart, keeps nothing anonymous and forgets a
    previous account's when another signs in on the same tablet) and which pages it may keep
    (X-Offline-Page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        user = getattr(request, "user", None)
        if isinstance(user, User) and response.get("Content-Type", "").startswith("text/html"):
            response["X-Offline-Account"] = account_key(user)
            if (
                match is not None
                and match.view_name in KEPT_PAGES
                and request.method == "GET"
                and response.status_code == 200
            ):
                response["X-Offline-Page"] = "1"
        return response
