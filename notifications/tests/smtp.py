"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and can refuse service
(answer 421) to play a mail server that is down."""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: Message


@dataclass
class Mailbox:
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    refuse: bool = False  # answer 421 to every message, as a server that is down
    delay: float = 0.0  # seconds per message, to catch a worker in the middle of a batch

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "421 Service not available, closing transmission channel"
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    def recipients(self) -> list[str]:
        with self.lock:
            return [r for m in self.messages for r in m.rcpt_tos]


class SMTPServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> "SMTPServer":
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def settings(self) -> dict[str, Any]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }
