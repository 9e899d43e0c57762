"""What happens to each new document version once its upload is saved: the viewer's conversion to
PDF, the text read for search, the check of its digital signatures. documents is the lower floor:
the apps above register their step here from their AppConfig.ready (STYLE), and each step queues
its own task for the worker (after the upload's transaction commits).

DOCUMENT_PROCESSING turns every step off at once: the browser tests' demo data loads without
converting the whole demo province, and the test suite runs the steps only where a test asks for
them (the `document_processing` fixture)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models.signals import post_save

from .models import DocumentVersion

Step = Callable[[Any], object]  # what a step returns is not used
_steps: dict[str, Step] = {}


def register(name: str, step: Step) -> None:
    """`step(version)` runs in the transaction that creates the version; a second call with the
    same name replaces the first."""
    _steps[name] = step


def _version_saved(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or not settings.DOCUMENT_PROCESSING:
        return
    for step in _steps.values():
        step(instance)


def connect() -> None:
    post_save.connect(_version_saved, sender=DocumentVersion, dispatch_uid="documents-processing")
