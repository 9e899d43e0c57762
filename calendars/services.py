"""Changes to an account's calendar address. The token itself never reaches the audit log."""

from auditlog.models import LogEntry
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import CalendarToken, new_token


def calendar_token_for(*, user: User) -> CalendarToken:
    """The account's feed token, made on first use."""
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def calendar_token_renew(*, user: User) -> CalendarToken:
    """A new secret address; the old one answers 404 from this moment."""
    token, created = CalendarToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = new_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"calendar_token": ["***", "***"]},
        additional_data={"event": "calendar_token_renewed"},
    )
    return token
