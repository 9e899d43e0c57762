"""What the polled fragments show, versioned in Django's cache (Redis with several app servers,
the one server's file cache otherwise; memory in the tests).

A fragment that htmx polls (the room's screen, the votes, the comments, the member's banner)
names the versions its content depends on ("votes:12", "room:12", "user:5"); its ETag is made of
their current values and of what is the reader's own (account, language). The services that
change that content bump the versions, at once and again after commit, exactly as the public
pages' generation (core.public_cache): a poll racing the transaction may have read the old rows
with the first new value, and gets the second. So "nothing changed" is known from the cache alone.

After answering a poll in full (the session, the account, the right to see the meeting checked as
on every page), the fragment's reader is remembered for a minute: the session, the account's
password hash, the versions watched and the reader's part of the tag. The next polls of that
session and address are answered 304 from that and the versions, without the database
(accounts.middleware.PollFromCacheMiddleware); anything else (a changed version, another
language, a session signed out, a minute gone) goes the whole way again, where access is
checked anew. A 304 carries nothing but "what you have is still current".

A version missing from the cache (evicted, the cache restarted) is created with a new value, so a
lost cache costs one full answer per reader, never a stale 304. Should the cache fail, versions
are new on every read (every poll answered in full) and bumps are logged and dropped."""

import hashlib
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION = "poll:v:"
GRANT = "poll:grant:"
# A version unchanged for a day may go; a new one then costs one full answer per reader.
VERSION_SECONDS = 24 * 3600
# How long a poll's reader is remembered without being checked again.
GRANT_SECONDS = 60


@dataclass(frozen=True)
class Watch:
    """What a polled fragment's content depends on: the versions, and the reader's own part of
    its tag (the account, the language, anything else the fragment shows of them)."""

    versions: Sequence[str]
    private: str = ""


def account_version(pk: object) -> str:
    """The version every poll of this account watches, bumped whenever the account is saved (its
    role, unit, password, deactivation): its polls then check access again."""
    return f"user:{pk}"


def _fresh() -> str:
    # A timestamp, not a counter: a cache that restarts never hands out an old value again.
    return format(time.time_ns(), "x")


def _write(values: dict[str, str], seconds: float) -> None:
    try:
        cache.set_many(values, seconds)
    except Exception:  # the cache is down: polls are answered in full meanwhile
        logger.warning("polled versions not written: %s", ", ".join(values), exc_info=True)


def bump(*names: str, lasts: timedelta | None = None) -> None:
    """These versions changed (or will, at commit): written at once, and again after the
    transaction commits when there is one. `lasts`: the new value also ends by itself after that
    time, for content that changes with the clock (a vote's result leaving the room's
    screen)."""
    if not names:
        return
    seconds = lasts.total_seconds() if lasts is not None else VERSION_SECONDS

    def write() -> None:
        _write({VERSION + name: _fresh() for name in names}, seconds)

    write()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(write)


def _read(names: Iterable[str], *, create: bool) -> dict[str, str] | None:
    keys = [VERSION + name for name in names]
    try:
        found = cache.get_many(keys)
        missing = [key for key in keys if key not in found]
        if missing and not create:
            return None
        for key in missing:
            cache.add(key, _fresh(), VERSION_SECONDS)
        if missing:
            found.update(cache.get_many(missing))
    except Exception:
        logger.warning("polled versions not read", exc_info=True)
        return {key[len(VERSION) :]: _fresh() for key in keys} if create else None
    return {key[len(VERSION) :]: str(found.get(key) or _fresh()) for key in keys}


def current(names: Iterable[str]) -> dict[str, str]:
    """The versions' values; one missing from the cache is created with a new value."""
    return _read(names, create=True) or {}


def peek_tag(watch: Watch) -> str:
    """The tag as the versions stand, a missing one counting as none, without writing: for
    what is kept only a short while anyway (a count kept for seconds), where a version bumped
    after it was kept changes the tag, and one lost by the cache at worst keeps it its while."""
    keys = [VERSION + name for name in watch.versions]
    try:
        found = cache.get_many(keys)
    except Exception:
        return _fresh()
    return tag(watch, {key[len(VERSION) :]: str(found.get(key, "")) for key in keys})


def tag(watch: Watch, versions: dict[str, str]) -> str:
    """The ETag's value: short, and revealing nothing of the versions' names."""
    parts = [watch.private, *(f"{name}={versions[name]}" for name in watch.versions)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def etag_for(watch: Watch) -> str:
    return tag(watch, current(watch.versions))


# ---- the reader, remembered for the next polls ---------------------------------------------


def _grant_key(session_key: str, request: HttpRequest) -> str:
    where = f"{session_key}|{get_language()}|{request.get_full_path()}"
    return GRANT + hashlib.sha256(where.encode()).hexdigest()


def remember(request: HttpRequest, watch: Watch) -> None:
    """After a full answer: this session may be answered from the cache for a while."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if session is None or not key or SESSION_KEY not in session:
        return
    grant = {
        "user": session[SESSION_KEY],
        "hash": session.get(HASH_SESSION_KEY),
        "versions": list(watch.versions),
        "private": watch.private,
    }
    try:
        cache.set(_grant_key(key, request), grant, GRANT_SECONDS)
    except Exception:
        logger.warning("polled fragment's reader not remembered", exc_info=True)


def remembered_tag(request: HttpRequest) -> str | None:
    """The current tag of what this session last received at this address, when it was checked
    within the minute and its session still signs in the same account with the same password;
    None otherwise (the poll then goes the whole way). Reads the cache only."""
    session = request.session
    key = session.session_key
    if not key:
        return None
    try:
        grant = cache.get(_grant_key(key, request))
    except Exception:
        return None
    if not grant:
        return None
    # The session from its store (the cache, with SESSION_ENGINE cached_db): signed out, or
    # signed in again as someone else or with another password, and the grant is void.
    if session.get(SESSION_KEY) != grant["user"] or session.get(HASH_SESSION_KEY) != grant["hash"]:
        return None
    versions = _read(grant["versions"], create=False)
    if versions is None:
        return None
    return tag(Watch(versions=grant["versions"], private=grant["private"]), versions)
