"""The roll changes the polled fragments of its meeting (meetings.polling): the count of those
present on the room's screen and the live count, and the banner of the invitation's accounts
(a vote counting those present may now be theirs to cast)."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save

from meetings import polling as polls

from .models import Presence


def _roll_changed(sender: Any, instance: Presence, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    # The services pass the invitation along: read from the row only when it was not.
    try:
        invitation = instance.invitation
    except ObjectDoesNotExist:  # deleted with its invitation: the invitation's own bump
        return
    polls.bump(invitation.meeting_id, "roll")
    polls.bump_calls([invitation])


post_save.connect(_roll_changed, sender=Presence, dispatch_uid="polls-presence")
post_delete.connect(_roll_changed, sender=Presence, dispatch_uid="polls-presence-d")
