from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _


def _check_new_version(version: Any) -> None:
    """A PDF's signatures are checked by the worker once the upload is committed."""
    from .checking import looks_like_pdf, queue_check

    if looks_like_pdf(version):
        pk = version.pk
        transaction.on_commit(lambda: queue_check(pk))


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = _("Chữ ký số")

    def ready(self) -> None:
        from documents.processing import register

        from . import audit  # noqa: F401

        register("signatures", _check_new_version)
