"""The dashboard's block of written-opinion requests waiting for the account's answer: the portal
includes the tag and knows nothing else of opinions."""

from typing import Any

from django import template
from django.utils import timezone

from opinions.selectors import waiting_for

register = template.Library()

SHOWN = 5


@register.inclusion_tag("opinions/_dashboard.html", takes_context=True)
def opinions_waiting(context: dict[str, Any]) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"rows": []}
    now = timezone.now()
    rows = list(waiting_for(user, pending_only=True).filter(request__deadline__gt=now)[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN, "now": now}
