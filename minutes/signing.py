"""The approved minutes' PDF, offered to the signatures app (B14) for signing (PAdES).

The one place the minutes meet `signatures`: its registry, learns
how to build the PDF, who may sign (the rule "minutes.sign_minutes": whoever approves) and the
title. The PDF download serves the signed file (minutes.selectors.signed_pdf)."""

from signatures.registry import register as register_signable

from . import exporting
from .models import Minutes


def approved_pdf(minutes: Minutes) -> bytes:
    assert minutes.approved_version is not None
    return exporting.pdf(minutes, minutes.approved_version)


def title(minutes: Minutes) -> str:
    number = f"{minutes.number} – " if minutes.number else ""
    return f"Biên bản {number}{minutes.meeting.title}"


def register() -> None:
    register_signable(
        Minutes,
        pdf=approved_pdf,
        may_sign="minutes.sign_minutes",
        may_view="minutes.view_published",
        title=title,
    )
