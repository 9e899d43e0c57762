"""The dashboard's block of written-opinion requests waiting for the account's answer: the portal
includes the tag and knows nothing else of opinions."""

from datetime import datetime
from typing import Any

from django import template
from django.db.models import QuerySet
from django.utils import timezone

from accounts.kept import kept_rows
from opinions.models import Recipient
from opinions.selectors import waiting_for

register = template.Library()

SHOWN = 5


def _waiting(user: Any, now: datetime) -> QuerySet[Recipient]:
    """Read from a query kept per shape of account (accounts.kept)."""
    waiting = waiting_for(user, pending_only=True, now=now).filter(request__deadline__gt=now)
    return waiting[: SHOWN + 1]


@register.inclusion_tag("opinions/_dashboard.html", takes_context=True)
def opinions_waiting(context: dict[str, Any]) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"rows": []}
    now = timezone.now()
    rows = kept_rows("opinions.waiting", _waiting, user, now)
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN, "now": now}
