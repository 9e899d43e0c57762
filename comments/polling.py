"""A comment added or changed: the live list of its meeting's comments (meetings.polling)."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from meetings import polling as polls

from .models import Comment


def _comments_changed(sender: Any, instance: Comment, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        polls.bump(instance.meeting_id, "comments")


post_save.connect(_comments_changed, sender=Comment, dispatch_uid="polls-comment")
post_delete.connect(_comments_changed, sender=Comment, dispatch_uid="polls-comment-d")
