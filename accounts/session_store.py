"""The session engine (SESSION_ENGINE): Django's cached_db. A session is read from the cache
(Redis, or the one server's file cache) and from the database only when the cache lost it, and is
written to both, so that a signed-in request and a poll answered from the cache do not read the
session table. Several app servers must share one cache (CACHE_URL): a session ended on one is
then ended on all at once.

Sessions signed in before the password backend replaced Django's ModelBackend name that backend;
they are read as naming its successor, so that nobody is signed out by the upgrade."""

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore

RENAMED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.PasswordBackend"
}


class SessionStore(CachedDbSessionStore):
    def load(self) -> dict[str, Any]:
        data = super().load()
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in RENAMED_BACKENDS:
            data[BACKEND_SESSION_KEY] = RENAMED_BACKENDS[backend]
        return data
