"""The e-mail backend of `make run`: each message is kept whole in a file under `var/mail/` and
announced on the terminal in one line (recipients, subject, the file), so that the demo accounts
and the site's address printed before stay readable while the worker sends invitations."""

import re
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class EmailBackend(BaseEmailBackend):
    _lock = threading.Lock()
    _count = 0

    def __init__(
        self, *args: Any, file_path: str | None = None, stream: TextIO | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.folder = Path(
            file_path
            or getattr(settings, "EMAIL_FILE_PATH", None)
            or settings.BASE_DIR / "var/mail"
        )
        self.stream = stream or sys.stdout

    def send_messages(self, email_messages: Any) -> int:
        sent = 0
        self.folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            path = self._write(message)
            self.stream.write(self.line(message, path) + "\n")
            self.stream.flush()
            sent += 1
        return sent

    def _write(self, message: EmailMessage) -> Path:
        with self._lock:
            EmailBackend._count += 1
            count = EmailBackend._count
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        to = re.sub(r"[^A-Za-z0-9.@_-]+", "_", (message.recipients() or ["-"])[0])[:60]
        path = self.folder / f"{stamp}-{count:04d}-{to}.eml"
        path.write_bytes(message.message().as_bytes(linesep="\n"))
        return path

    @staticmethod
    def line(message: EmailMessage, path: Path) -> str:
        try:
            shown: Path | str = path.relative_to(Path.cwd())
        except ValueError:
            shown = path
        subject = " ".join(str(message.subject).split())
        return f"✉ {', '.join(message.recipients())} · {subject} · {shown}"
