"""The test suite. DATABASE_URL chooses the database (SQLite in memory when unset)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env, env_bool

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Fast hashing in tests; Argon2 itself is covered by a test that asks for it explicitly.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
MEDIA_ROOT = BASE_DIR / "test-output" / "media"
# SQLite tests run in memory. Django's default for a SQLite test database, said explicitly: with
# django-prometheus's wrapper the ENGINE is no longer "django.db.backends.sqlite3", and
# pytest-django then takes the file's path for a server's database name and gives each xdist
# worker "test_<path>_gw0", a file that cannot be opened.
if DATABASES["default"]["ENGINE"].endswith(".sqlite3"):  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the app folders and node_modules, as in development: no collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tasks run in the request that queues them unless a test starts real workers (TASK_SYNC=0).
Q_CLUSTER["sync"] = env_bool("TASK_SYNC", True)  # noqa: F405

# One process: the cache in memory, emptied before each test (conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Converting, reading and checking each new document version (documents.processing) is off: most
# tests upload files for other reasons, and a LibreOffice conversion takes seconds. The tests of
# those steps turn it on with the `document_processing` fixture (conftest.py).
DOCUMENT_PROCESSING = env_bool("DOCUMENT_PROCESSING", False)

# The suite signs in and calls the API many times a minute: no limits, but in the tests of the
# limits themselves (core/tests/test_limits.py), which set their own.
RATE_LIMITS = {"api_token": "", "api_address": "", "login": "", "public": ""}
