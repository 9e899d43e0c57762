"""An issued conclusion notice is signed as a PDF (B14) through the signatures app's registry."""

from typing import Any

from signatures.registry import register as register_signable

from .exports import notice_pdf
from .models import Notice


def _title(notice: Any) -> str:
    return str(notice)


def _pdf(notice: Any) -> bytes:
    return notice_pdf(notice)


def register() -> None:
    register_signable(
        Notice, pdf=_pdf, may_sign="tasks.sign_notice", may_view="tasks.view_notice", title=_title
    )
