"""The generation of the office's data: a value in Django's cache made new after every write to a
table that pages show (any table but the QUIET ones below), so that a page an account asks again
and again (its dashboard) can keep what it rendered under that value and know, from the cache
alone, whether anything it reads may have changed since.

Every statement sent through Django's connections passes here (a database "execute wrapper",
added to each connection as it opens): an INSERT, UPDATE or DELETE of a table not QUIET marks the
data changed. Watched there, at the one door every write goes through (the ORM, a bulk update, a
raw statement, the task worker), nothing has to remember to say so; a signal or a service's call
would miss the writes that forget it.

- Outside a transaction, the statement has committed when it returns: the generation is new at
  once.
- Inside one, the generation is made new after the commit (Django's on_commit; nothing when it
  rolls back), and until then the connection that wrote reads no generation at all
  (`generation()` is None): it sees its own writes, which nobody else does yet, and neither
  keeps nor uses what was kept. A request racing the commit may keep what it read under the old
  generation, which the commit then leaves behind.

A timestamp, not a counter: a cache that restarts never hands out an old value again; a value
lost from the cache is made anew, which costs each kept page one render."""

import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

KEY = "data:generation"

# Written often and shown by no kept page: sessions and sign-ins, the lockout's records, the logs
# (audit, admin, downloads), the task queue, the outbox's deliveries, the search's extracted text,
# the viewer's renditions and the checks of signatures, the monthly figures, the second factor's
# devices (their last use), the tokens' last use, the bell's notifications (read on every page,
# never kept). A table missing here is only kept less well, never shown stale; a statement that
# reads one of these is never kept (reads_quiet).
QUIET = frozenset(
    {
        "django_session",
        "accounts_usersession",
        "accounts_loginevent",
        "accounts_passwordhistory",
        "auditlog_logentry",
        "django_admin_log",
        "documents_download",
        "notifications_outboxmessage",
        "notifications_notification",
        "doctext_versiontext",
        "viewer_rendition",
        "signatures_versioncheck",
        "api_accesstoken",
        "calendars_calendartoken",
    }
)
QUIET_PREFIXES = ("axes_", "django_q_", "otp_", "reports_")

WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
_TABLE = re.compile(
    # INSERT OR IGNORE INTO (SQLite), INSERT IGNORE INTO (MySQL) too.
    r'\s*(?:INSERT\s+(?:(?:OR\s+)?\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)',
    re.IGNORECASE,
)
# A statement beginning with a WITH may write too (WITH ... UPDATE): its table is not looked for.
_WITH_WRITING = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


# The quoted names of a statement (its tables among them).
_NAMES = re.compile(r'[`"](\w+)[`"]')


def reads_quiet(sql: str) -> bool:
    """Whether the statement names a QUIET table: what it reads may change without a new
    generation, so its answer is never kept under one (a count of the sign-in log)."""
    return any(_quiet(name.lower()) for name in set(_NAMES.findall(sql)))


# Set while the writes made change nothing a kept page shows (not_shown).
_not_shown: ContextVar[bool] = ContextVar("not_shown", default=False)


@contextmanager
def not_shown() -> Iterator[None]:
    """The writes made within change nothing that a kept page shows (the time and count of an
    account's views of a meeting, written at each view): the generation stays."""
    token = _not_shown.set(True)
    try:
        yield
    finally:
        _not_shown.reset(token)


def generation() -> str | None:
    """The data's generation; None while this connection's transaction has written and not yet
    committed (what it reads is then its own)."""
    if _pending(transaction.get_connection()):
        return None
    try:
        value = cache.get(KEY)
        if value is None:
            cache.add(KEY, _fresh(), None)
            value = cache.get(KEY)
    except Exception:  # the cache is down: nothing is kept meanwhile
        logger.warning("the data's generation not read", exc_info=True)
        return None
    return None if value is None else str(value)


def changed() -> None:
    """The data changed (a write no statement shows, a file replaced): the generation is new."""
    try:
        cache.set(KEY, _fresh(), None)
    except Exception:
        logger.warning("the data's generation not written", exc_info=True)


def _fresh() -> str:
    return format(time.time_ns(), "x")


def _pending(connection: BaseDatabaseWrapper) -> bool:
    # Django keeps the functions to call at commit in run_on_commit, as (savepoints, function,
    # robust); those of a savepoint rolled back are taken out of it.
    return connection.in_atomic_block and any(
        entry[1] is changed for entry in connection.run_on_commit
    )


def _written_table(sql: Any) -> str | None:
    """The table this statement writes; "" for a write whose table is not told (a WITH that
    writes, a TRUNCATE), None for no write."""
    text = sql.decode(errors="replace") if isinstance(sql, bytes) else str(sql)
    head = text.lstrip()[:8].upper()
    if head.startswith("TRUNCATE"):  # of several tables at once, maybe
        return ""
    if head.startswith(WRITES):
        found = _TABLE.match(text)
        return found.group(1).lower() if found else ""
    if head.startswith("WITH") and _WITH_WRITING.search(text):
        return ""
    return None


def _quiet(table: str) -> bool:
    return table in QUIET or table.startswith(QUIET_PREFIXES)


def _watch_writes(
    execute: Callable[..., Any],
    sql: Any,
    params: Any,
    many: bool,
    context: dict[str, Any],
) -> Any:
    result = execute(sql, params, many, context)
    table = _written_table(sql)
    if table is not None and not _quiet(table) and not _not_shown.get():
        connection = context["connection"]
        if not connection.in_atomic_block:
            changed()
        elif not _pending(connection):
            connection.on_commit(changed)
    return result


def watch(connection: BaseDatabaseWrapper, **_: Any) -> None:
    """Django's connection_created: the connection's writes are watched (once per connection
    object, which opens again and again). First in the list: Django's execute_wrapper() takes
    its own wrapper back with pop(), which then never takes this one."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)
