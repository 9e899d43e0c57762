"""The file cache of a one-server set-up (CACHE_DIR): Django's, culled now and then.

Django's FileBasedCache lists its whole folder before every write, to cull it when it holds more
than MAX_ENTRIES. Once the cache holds a few thousand entries (a session per signed-in browser,
the polled fragments' versions and readers, the marks of "last seen") that listing costs
milliseconds, and a ballot writes four entries. Here it is listed at most once every CULL_EVERY
seconds per process: the cache may then exceed its bound by what one process writes meanwhile;
expired entries are still removed when read or culled."""

import threading
import time

from django.core.cache.backends import filebased


class FileBasedCache(filebased.FileBasedCache):
    CULL_EVERY = 60.0
    _culled_at = float("-inf")
    _lock = threading.Lock()

    def _cull(self) -> None:
        now = time.monotonic()
        with self._lock:
            if now - FileBasedCache._culled_at < self.CULL_EVERY:
                return
            FileBasedCache._culled_at = now
        super()._cull()  # type: ignore[misc]  # private in the stubs, not in Django
