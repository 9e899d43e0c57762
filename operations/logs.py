"""Log lines that say which request they belong to, and that never carry a secret.

Loaded by the LOGGING setting, before the apps: nothing here may import a model.

- RequestContextFilter adds request_id, account_id and view to every record made while a request
  is handled (operations.middleware.RequestIdMiddleware keeps the request in a context variable),
  and masks what must not be written down: the tokens of calendar feeds and check-in codes in
  paths, and the values of query parameters that look like credentials.
- JsonFormatter (LOG_FORMAT=json) writes one JSON object a line: time, level, logger, message,
  request_id, account_id, view, and the fields a record names itself (method, path, status...).
"""

import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

current_request: ContextVar[Any] = ContextVar("current_request", default=None)

MASK = "***"
# URL paths that carry a credential: the calendar feed's token (calendars:feed) and the door's
# check-in code (attendance:check_in). test_logs.py fails for any URL pattern with a "token"
# argument that these do not mask.
SECRET_PATHS = [
    re.compile(r"(/lich/ical/)[^/\s?#\"']+?(\.ics)"),
    re.compile(r"(/quet-diem-danh/)[^/\s?#\"']+()"),
]
# Query parameters whose values are credentials: tokens, codes, keys, signatures of presigned
# S3 addresses, passwords.
SECRET_QUERY = re.compile(
    r"([?&;][^=&\s\"'#]*(?:token|code|key|secret|pass|signature|credential|session|otp|auth)"
    r"[^=&\s\"'#]*=)[^&\s\"'#]*",
    re.IGNORECASE,
)


def mask(text: str) -> str:
    for pattern in SECRET_PATHS:
        text = pattern.sub(rf"\g<1>{MASK}\g<2>", text)
    return SECRET_QUERY.sub(rf"\g<1>{MASK}", text)


def account_id(request: Any) -> int | None:
    """The signed-in account's id, without asking the database: only once something in the
    request has already loaded the account."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = user._wrapped  # type: ignore[attr-defined]
        if user is empty:
            return None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = current_request.get()
        record.request_id = getattr(request, "request_id", None) if request else None
        record.account_id = account_id(request) if request else None
        match = getattr(request, "resolver_match", None) if request else None
        record.view = match.view_name if match else None
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        path = getattr(record, "path", None)
        if isinstance(path, str):
            record.path = mask(path)
        return True


class JsonFormatter(_JsonFormatter):
    # Django's request logger attaches the request object itself; its text holds the query
    # string. The fields above say what is needed of it.
    SKIPPED = ("request", "server_time", "taskName", "color_message")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)
        self._skip_fields.update(self.SKIPPED)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        for field in ("request_id", "account_id", "view"):
            log_data.setdefault(field, getattr(record, field, None))
        if "exc_info" in log_data:
            log_data["exc_info"] = mask(str(log_data["exc_info"]))
