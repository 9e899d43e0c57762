"""E-mail through Django's mail backend (SMTP in production): one connection per batch."""

import contextlib
import smtplib
from typing import Any

from django.core.mail import get_connection

from ..messages import build_message
from ..models import OutboxMessage
from . import SendError


def is_permanent(exc: Exception) -> bool:
    """A refusal that another try cannot fix: a 5xx reply (RFC 5321). 4xx replies and network
    errors are tried again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(
            500 <= code < 600 for code, _msg in exc.recipients.values()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def _error(exc: Exception) -> SendError:
    return SendError(f"{type(exc).__name__}: {exc}", permanent=is_permanent(exc))


class EmailConnection:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def send(self, message: OutboxMessage) -> str:
        try:
            email = build_message(message)
            email.connection = self.connection
            email.send()
        except (OSError, smtplib.SMTPException) as exc:
            raise _error(exc) from exc
        return message.message_id

    def alive(self) -> bool:
        try:
            smtp = self.connection.connection
            return smtp is not None and smtp.noop()[0] == 250
        except (OSError, smtplib.SMTPException):
            return False

    def close(self) -> None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.connection.close()


class EmailChannel:
    name = OutboxMessage.Channel.EMAIL.value

    def enabled(self) -> bool:
        return True

    def connect(self) -> EmailConnection:
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as exc:
            # Whatever the server said at the door, the rows themselves were not refused.
            raise SendError(f"{type(exc).__name__}: {exc}") from exc
        return EmailConnection(connection)
