from accounts.http import AuthenticatedHttpRequest

from . import selectors
from .models import Meeting


def meeting_for(
    request: AuthenticatedHttpRequest, pk: int, perm: str = "meetings.view_meeting"
) -> Meeting:
    """The meeting a signed-in page acts on: one its user may see (else 404), then the action's
    rule (else 403). Load -> check access, before the view acts."""
    return selectors.meeting_for(request.user, pk, perm)
