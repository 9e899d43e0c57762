"""documents is a lower floor: it records a new version; doctext reacts here (STYLE)."""

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save

from documents.models import DocumentVersion


def _version_saved(sender: type, instance: DocumentVersion, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw") and settings.DOCUMENT_PROCESSING:
        from .services import text_queue

        text_queue(version=instance, new=True)


post_save.connect(_version_saved, sender=DocumentVersion, dispatch_uid="doctext-version-saved")
