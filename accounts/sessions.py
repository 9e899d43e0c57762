"""Signed-in sessions (B8): where an account is signed in, and ending those sessions.

The session data stays in the configured SESSION_ENGINE (database, cache or both); a UserSession
row only names a session of an account. Ending one deletes it from that store, so the browser
holding it is signed out at its next request, whatever the engine."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import import_module

import ua_parser
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.http import client_ip, user_agent

from .models import User, UserSession

# The "last seen" time is written at most this often per session.
TOUCH_EVERY = timedelta(minutes=1)


def _store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)


def session_record(*, request: HttpRequest, user: User) -> UserSession | None:
    """Called when an account signs in: names the new session."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    if not key:  # an engine without server-side keys
        return None
    now = timezone.now()
    row, _created = UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": user_agent(request),
            "created_at": now,
            "last_seen_at": now,
        },
    )
    cache.set(seen_mark(key), True, TOUCH_EVERY.total_seconds())
    return row


def seen_mark(session_key: str) -> str:
    """The cache key saying that this session's "last seen" was written within the minute."""
    return f"accounts:session-seen:{session_key}"


def touched_recently(request: HttpRequest) -> bool:
    """This session's "last seen" was written within the minute (the cache's mark)."""
    key = request.session.session_key
    return bool(key and cache.get(seen_mark(key)))


def session_touch(*, request: HttpRequest, user: User) -> None:
    """Called on every signed-in request: keeps "last seen" (and the address) within a minute. A
    session signed in before the sessions were named gets its row here. A mark in the cache
    spares the database a query on the other requests of that minute."""
    key = request.session.session_key
    if not key:
        return
    mark = seen_mark(key)
    if cache.get(mark):
        return
    now = timezone.now()
    seen = (
        UserSession.objects.filter(session_key=key, user=user)
        .values_list("last_seen_at", flat=True)
        .first()
    )
    if seen is not None and now - seen < TOUCH_EVERY:
        cache.set(mark, True, (TOUCH_EVERY - (now - seen)).total_seconds())
        return
    cache.set(mark, True, TOUCH_EVERY.total_seconds())
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": user_agent(request),
            "last_seen_at": now,
        },
        create_defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": user_agent(request),
            "created_at": now,
            "last_seen_at": now,
        },
    )


def session_forget(*, session_key: str | None) -> None:
    """Called when a session signs out by itself: the store flushes it, the row goes."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_end(*, user_session: UserSession) -> None:
    """Signs the session out wherever it is (its browser is signed out at its next request)."""
    _store(user_session.session_key).delete(user_session.session_key)
    user_session.delete()


def sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """Ends every session of the account but the one named (the one asking, usually)."""
    rows = UserSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    ended = 0
    for row in list(rows):
        session_end(user_session=row)
        ended += 1
    return ended


# ---- reads ----------------------------------------------------------------------------------


@dataclass
class SessionRow:
    session: UserSession
    device: str
    current: bool

    @property
    def pk(self) -> int:
        return self.session.pk

    @property
    def ip_address(self) -> str | None:
        return self.session.ip_address

    @property
    def created_at(self) -> datetime:
        return self.session.created_at

    @property
    def last_seen_at(self) -> datetime:
        return self.session.last_seen_at


@lru_cache(maxsize=512)
def _browser_and_system(agent: str) -> tuple[str, str]:
    parsed = ua_parser.parse(agent)
    browser = parsed.user_agent.family if parsed.user_agent else ""
    if parsed.user_agent and parsed.user_agent.major:
        browser = f"{browser} {parsed.user_agent.major}"
    system = parsed.os.family if parsed.os else ""
    if parsed.device and parsed.device.family not in ("Other", ""):
        system = f"{system}, {parsed.device.family}" if system else parsed.device.family
    return browser, system


def device_label(agent: str) -> str:
    """ "Chrome 126 trên Windows", from the browser's user agent."""
    browser, system = _browser_and_system(agent) if agent else ("", "")
    if browser and system:
        return _("%(browser)s trên %(system)s") % {"browser": browser, "system": system}
    return browser or system or agent[:60] or _("Không rõ thiết bị")


def sessions_of(user: User, *, current_key: str | None) -> list[SessionRow]:
    """The account's live sessions, the one asking first. Rows whose session has expired or was
    cleared from the store (a closed browser never says goodbye) are deleted on the way: nothing
    else would."""
    cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows: list[SessionRow] = []
    gone: list[int] = []
    for session in UserSession.objects.filter(user=user):
        current = session.session_key == current_key
        if not current and (
            session.last_seen_at < cutoff or not _store().exists(session.session_key)
        ):
            gone.append(session.pk)
            continue
        rows.append(
            SessionRow(session=session, device=device_label(session.user_agent), current=current)
        )
    if gone:
        UserSession.objects.filter(pk__in=gone).delete()
    rows.sort(key=lambda row: not row.current)
    return rows


def session_rekey(*, old_key: str | None, new_key: str | None) -> None:
    """Django gives a session a new key when its password changes (update_session_auth_hash);
    the row follows, keeping when the session began."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)
