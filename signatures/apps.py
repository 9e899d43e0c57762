from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _


def _version_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """documents is a lower floor: it records the upload; this app reacts after the commit."""
    if created and not kwargs.get("raw") and settings.DOCUMENT_PROCESSING:
        from .checking import looks_like_pdf, queue_check

        if looks_like_pdf(instance):
            pk = instance.pk
            transaction.on_commit(lambda: queue_check(pk))


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = _("Chữ ký số")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from documents.models import DocumentVersion

        from . import audit  # noqa: F401

        post_save.connect(
            _version_saved, sender=DocumentVersion, dispatch_uid="signatures.check_version"
        )
