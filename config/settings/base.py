"""Settings shared by every environment. Values that differ per deployment come from the
environment (see deploy/env.example); dev, test and production only adjust what they must."""

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.storage import default_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    """An empty variable counts as unset, as in most deployment tools."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "auditlog",
    "rules.apps.AutodiscoverRulesConfig",  # each app's rules.py
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_q",
    "core",
    "accounts",
    "catalogs",
    "feedback",
    "meetings",
    "documents",
    "attendance",
    "comments",
    "voting",
    "room",
    "viewer",
    "packs",
    "notes",
    "doctext",
    "minutes",
    "tasks",
    "opinions",
    "signatures",
    "notifications",
    "calendars",
    "exports",
    "reports",
    "portal",
    "offline",
    "api",
    "operations",
    "django_prometheus",
]

MIDDLEWARE = [
    # First: it times everything below (django-prometheus).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request id for the logs and the response; then /healthz, /readyz and /metrics, answered
    # at once (or refused) before sessions and sign-in (operations.middleware).
    "operations.middleware.RequestIdMiddleware",
    "operations.middleware.MonitoringMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    # A poll whose reader was checked within the minute and whose content is unchanged: the 304
    # from the cache alone, before the account is read (core.polling).
    "accounts.middleware.PollFromCacheMiddleware",
    "core.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in pages the installed app keeps for reading offline (offline).
    "offline.middleware.OfflinePagesMiddleware",
    # django-otp's, its device read through a kept query (accounts.middleware).
    "accounts.middleware.OTPMiddleware",
    # The account itself in request.user, not two lazy proxies around it (accounts.middleware).
    "accounts.middleware.ResolvedUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    # After the password change: a forced change comes before the second factor's enrolment.
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    # After a form sent, the menu's to-do count is counted again (portal.menu_count).
    "portal.menu_count.ForgetMenuCountAfterActing",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.AuditlogMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    # Latency per view and response codes (django-prometheus); as late as django-axes allows.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "notifications.context_processors.inbox",
                "portal.context_processors.todo",
                "offline.context_processors.offline",
                "core.public_cache.context",
            ],
            # `{% url %}` with its links kept (core.links).
            "builtins": ["core.templatetags.kept_url"],
        },
    },
]

# ---- database -----------------------------------------------------------------------------
# SQLite by default (one office, one small server); PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; busy timeout waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # PostgreSQL's default random_page_cost (4) models spinning disks, where reading 1 000 rows
    # through an index costs more than reading a whole 20 000-row table; on SSDs and in memory it
    # does not, and with 1.1 the planner reads the lists through their indexes (test_plans.py).
    # JIT compiling pays off for long analytical queries only: the web's queries take
    # milliseconds, and a large cost estimate made PostgreSQL spend 230 ms compiling one of them.
    PG_JIT = env("PG_JIT", "off")
    if PG_JIT not in ("on", "off"):
        raise ImproperlyConfigured("PG_JIT must be on or off.")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={env('PG_RANDOM_PAGE_COST', '1.1')} -c jit={PG_JIT}"
    )
    # A query run a fifth time on a connection is prepared (psycopg's own default, which Django
    # turns off for poolers): PostgreSQL then parses it once, and after five runs plans it once
    # if the plan for any values is estimated no dearer than those planned for each run's (it
    # keeps planning the lists' queries, whose values matter, and stops planning the small
    # look-ups). Planning was most of the database's time of a dashboard (7 of 11 ms at 100 000
    # meetings): a unit's dashboard 41 to 35 ms, the meeting page 41 to 31 ms in-process. The
    # parameters are then sent apart from the SQL (server-side binding), which prepared
    # statements need. Off behind a pooler in transaction mode that does not keep prepared
    # statements (PgBouncer before 1.21, or without max_prepared_statements).
    PG_PREPARED_STATEMENTS = env("PG_PREPARED_STATEMENTS", "on")
    if PG_PREPARED_STATEMENTS not in ("on", "off"):
        raise ImproperlyConfigured("PG_PREPARED_STATEMENTS must be on or off.")
    if PG_PREPARED_STATEMENTS == "on":
        DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 5}
# django-prometheus's wrapper of the same backend counts queries, their time and errors for
# /metrics; it changes nothing else (vendor, features, SQL). Compare connection.vendor, not ENGINE.
if DATABASES["default"]["ENGINE"] in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
        "django.db.backends.", "django_prometheus.db.backends.", 1
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- cache -------------------------------------------------------------------------------
# Anonymous pages (core.public_cache). Redis when CACHE_URL (or REDIS_URL) is set, shared by every
# app server; else files on local disk, shared by the processes of one server.
CACHE_URL = env("CACHE_URL", env("REDIS_URL"))
CACHES: dict[str, dict[str, Any]]
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "core.file_cache.FileBasedCache",  # culled now and then, not at each write
            "LOCATION": env("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# How long an anonymous page may be served from the cache (changes show at once regardless).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60)

# ---- limits ----------------------------------------------------------------------------------
# How often one caller may ask, as "<count>/<period>" (s, m, h, d; "300/m", "30/5m"); "off" for
# no limit. Counted in the default cache (core.limits): with CACHE_URL every app server shares
# the counts. Past a limit: 429 with Retry-After. The API is limited per token and per address;
# the sign-in form's submissions and the public schedule's feeds and search per address (a whole
# office often shares one address, hence the generous defaults).
RATE_LIMITS = {
    "api_token": env("RATE_LIMIT_API_TOKEN", "300/m"),
    "api_address": env("RATE_LIMIT_API_ADDRESS", "600/m"),
    "login": env("RATE_LIMIT_LOGIN", "60/m"),
    "public": env("RATE_LIMIT_PUBLIC", "120/m"),
}
RATE_LIMITS = {name: "" if rate == "off" else rate for name, rate in RATE_LIMITS.items()}
for _name, _rate in RATE_LIMITS.items():
    if _rate and not re.match(r"^\d+/\d*[smhd]$", _rate):
        raise ImproperlyConfigured(f"The rate limit {_name} must look like 300/m, or be off.")
# A cache that does not answer lets requests through: the limits guard against abuse, and must
# not take the product down with the cache.
RATELIMIT_FAIL_OPEN = True

# ---- accounts and passwords (A2, A4) -----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Every permission is a rule (each app's rules.py): Django's ModelBackend, which would read the
# permission tables on every signed-in request, is replaced by a backend that only checks
# passwords. It stays last: the code step of sign-in names it by default (accounts.two_factor).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RulesBackend",  # django-rules, and the admin apps of the IT centre
    "accounts.sso.SingleSignOnBackend",  # answers only the provider's callback (accounts.sso)
    "accounts.backends.PasswordBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.NotTemporaryPasswordValidator"},
    {"NAME": "accounts.validators.NotRecentPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# The regulation's default temporary password after an admin reset; each deployment may set its own.
TEMPORARY_PASSWORD = env("TEMPORARY_PASSWORD", "abc@123456")
# The regulation asks for a monthly change; 0 turns expiry off.
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 30)
# How many earlier passwords may not be used again.
PASSWORD_HISTORY_SIZE = env_int("PASSWORD_HISTORY_SIZE", 3)
# How long the temporary password set by an admin (or at an account's creation) may be used to sign
# in; after that the admin has to reset it again.
TEMPORARY_PASSWORD_HOURS = env_int("TEMPORARY_PASSWORD_HOURS", 72)

# Two-factor sign-in (B8, django-otp): an authenticator app's 6-digit code after the password, or
# one of the backup codes. Accounts of these roles must enrol before they can reach anything else;
# everybody else may enrol from their account page.
# "none" for none (an empty variable counts as unset).
TWO_FACTOR_REQUIRED_ROLES = [
    role for role in env_list("TWO_FACTOR_REQUIRED_ROLES", "admin,clerk") if role != "none"
]
TWO_FACTOR_BACKUP_CODES = 10
OTP_TOTP_ISSUER = env("SITE_NAME", "Họp không giấy")
# Wrong codes count toward the lockout (django-axes) together with wrong passwords; django-otp's
# own per-device delay would only refuse the right code typed again just after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Single sign-on with OpenID Connect (accounts.sso, mozilla-django-oidc): off until the IT centre
# names a provider (OIDC_ISSUER for discovery, or the endpoints one by one) and a client id. The
# national identity (VNeID) is one more such provider: docs/accounts.md.
OIDC_OP_ISSUER = env("OIDC_ISSUER").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_END_SESSION_ENDPOINT")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", "RS256")
# client_secret_basic instead of client_secret_post at the token endpoint.
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_TOKEN_USE_BASIC_AUTH")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the sign-out at the provider
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
# The claim that names the account, and the account's field it must equal: email, username or
# personal_id (the national identity's number).
OIDC_MATCH_CLAIM = env("OIDC_MATCH_CLAIM", "email")
OIDC_MATCH_FIELD = env("OIDC_MATCH_FIELD", "email")
if OIDC_MATCH_FIELD not in {"email", "username", "personal_id"}:
    raise ImproperlyConfigured("OIDC_MATCH_FIELD is email, username or personal_id.")
# An unknown account is refused unless this is on; then a member's personal account is made.
OIDC_CREATE_USER = env_bool("OIDC_CREATE_ACCOUNTS")
# The button's "Đăng nhập bằng <label>"; the default is translated.
OIDC_LABEL = env("OIDC_LABEL") or _("tài khoản công vụ")
# The provider's own second factor, taken in place of ours when its "amr" holds one of these
# methods or its "acr" is one of these levels.
OIDC_MFA_AMR = env_list("OIDC_MFA_AMR", "mfa,otp,hwk,swk,sms")
OIDC_MFA_ACR = env_list("OIDC_MFA_ACR")
# "admins": only the IT centre's admins sign in with a password; everyone else through the provider.
PASSWORD_SIGN_IN = env("PASSWORD_SIGN_IN", "everyone")
if PASSWORD_SIGN_IN not in {"everyone", "admins"}:
    raise ImproperlyConfigured("PASSWORD_SIGN_IN is everyone or admins.")

# Lockout (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one account name from one
# address, that name is locked at that address for the cool-off time or until an admin unlocks it;
# after LOGIN_ADDRESS_FAILURE_LIMIT failures for any names, the address itself is locked
# (accounts.lockout).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = max(env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30), AXES_FAILURE_LIMIT)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.lockout.AccountAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The login log (accounts.LoginEvent) and the "unlock" action on accounts cover what axes's own
# admin pages would show, in Vietnamese and with filters by unit.
AXES_ENABLE_ADMIN = False
# Number of reverse proxies in front of the app whose X-Forwarded-For may be trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
)

# ---- sessions and security (D4) -----------------------------------------------------------
# Read from the cache, written to the cache and the database (accounts.session_store): a request
# reads no session row, and the polls answer "nothing changed" from the cache alone.
SESSION_ENGINE = "accounts.session_store"
SESSION_COOKIE_AGE = env_int("SESSION_MINUTES", 8 * 60) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# ---- audit log (D3) ---------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# ---- language, time (P2) ----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese and English pages alike show dates as dd/mm/yyyy (formats/ overrides Django's "en").
FORMAT_MODULE_PATH = ["config.formats"]

# ---- static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT: Path | None = Path(env("STATIC_ROOT", str(BASE_DIR / "static_root")))
# Front-end packages come from npm at set-up time (package.json); only their built files are served.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
    # The meeting form's date-and-time picker (meetings/templates/meetings/_datepicker.html).
    ("vendor/flatpickr", BASE_DIR / "node_modules" / "flatpickr" / "dist"),
    # The document viewer (viewer/, B2): pdf.js, its worker, the CMaps and standard fonts that
    # PDFs without embedded fonts need, and its decoders in WebAssembly (the rest of the package,
    # types and the legacy build, is not served).
    ("vendor/pdfjs/build", BASE_DIR / "node_modules" / "pdfjs-dist" / "build"),
    ("vendor/pdfjs/web", BASE_DIR / "node_modules" / "pdfjs-dist" / "web"),
    ("vendor/pdfjs/cmaps", BASE_DIR / "node_modules" / "pdfjs-dist" / "cmaps"),
    ("vendor/pdfjs/standard_fonts", BASE_DIR / "node_modules" / "pdfjs-dist" / "standard_fonts"),
    ("vendor/pdfjs/wasm", BASE_DIR / "node_modules" / "pdfjs-dist" / "wasm"),
    # Reading offline (offline/): Workbox's modules, loaded by the service worker, and idb, the
    # small promise wrapper over IndexedDB the pages keep notes and kept meetings in.
    ("vendor/workbox-core", BASE_DIR / "node_modules" / "workbox-core" / "build"),
    ("vendor/workbox-routing", BASE_DIR / "node_modules" / "workbox-routing" / "build"),
    ("vendor/workbox-strategies", BASE_DIR / "node_modules" / "workbox-strategies" / "build"),
    (
        "vendor/workbox-range-requests",
        BASE_DIR / "node_modules" / "workbox-range-requests" / "build",
    ),
    ("vendor/idb", BASE_DIR / "node_modules" / "idb" / "build"),
]
# Reading offline: what a device keeps of a meeting goes this many days after the meeting ends.
OFFLINE_KEEP_DAYS = env_int("OFFLINE_KEEP_DAYS", 30)
# Office files are converted to PDF for the viewer (viewer/convert.py) with LibreOffice: the
# program's name or path, how long one conversion may take and the largest file converted.
VIEWER_SOFFICE = env("VIEWER_SOFFICE", "soffice")
# Each new document version is converted for the viewer (viewer), read for search (doctext) and
# checked for signatures (signatures) by the task queue. The browser tests' demo data turns it off
# while loading, so that each test does not convert the whole demo province again.
DOCUMENT_PROCESSING = env_bool("DOCUMENT_PROCESSING", True)
VIEWER_CONVERT_TIMEOUT_SECONDS = env_int("VIEWER_CONVERT_TIMEOUT_SECONDS", 180)
VIEWER_CONVERT_MAX_BYTES = env_int("VIEWER_CONVERT_MAX_MB", 100) * 1024 * 1024
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Where `manage.py backup` writes its archives when no --output is given (README, Backup).
BACKUP_DIR = Path(env("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
# Documents (M3): the upload limit, and nginx serving the bytes (X-Accel-Redirect) when set to
# the internal location's prefix, e.g. "/protected-media/" (see the README's nginx section).
DOCUMENT_MAX_UPLOAD_MB = env_int("DOCUMENT_MAX_UPLOAD_MB", 200)
DOCUMENT_MAX_UPLOAD_BYTES = DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024
# An Office or OpenDocument file (a ZIP) may declare no more content inflated, nor more members.
DOCUMENT_MAX_INFLATED_BYTES = env_int("DOCUMENT_MAX_INFLATED_MB", 1024) * 1024 * 1024
DOCUMENT_MAX_MEMBERS = env_int("DOCUMENT_MAX_MEMBERS", 10_000)
DOCUMENTS_X_ACCEL_REDIRECT = env("DOCUMENTS_X_ACCEL_REDIRECT")
# Uploads past this size go to a temporary file, never into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Retention (D1): meetings and documents stay at least this long after their last update.
RETENTION_MONTHS = max(6, env_int("RETENTION_MONTHS", 6))
# Documents, versions, comment files on local disk (MEDIA_ROOT) by default, or on S3-compatible
# storage when STORAGE_URL=s3://<bucket> (AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, AWS_S3_REGION_NAME, optional AWS_LOCATION prefix); see config/storage.py.
# Downloads from S3: "stream" through the app (Range included) or "redirect" (302 to a presigned
# URL valid DOCUMENT_PRESIGNED_SECONDS); the app decides access on every request either way.
STORAGE_URL = env("STORAGE_URL")
DOCUMENT_DOWNLOADS = env("DOCUMENT_DOWNLOADS", "stream")
if DOCUMENT_DOWNLOADS not in ("stream", "redirect"):
    raise ImproperlyConfigured("DOCUMENT_DOWNLOADS must be stream or redirect.")
DOCUMENT_PRESIGNED_SECONDS = env_int("DOCUMENT_PRESIGNED_SECONDS", 60)
DEFAULT_STORAGE = default_storage_from_env(
    STORAGE_URL, env, url_expire_seconds=DOCUMENT_PRESIGNED_SECONDS
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ---- e-mail -----------------------------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Họp không giấy <hopkhonggiay@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---- the product ------------------------------------------------------------------------------
SITE_NAME = env("SITE_NAME", "Họp không giấy")
ORGANISATION_NAME = env("ORGANISATION_NAME", "Văn phòng UBND tỉnh")
# The governing body (cơ quan chủ quản) written above the Provincial Office's and the departments'
# names in the header of invitations, minutes and conclusion notices, e.g. "UBND tỉnh Tây Ninh"
# (a unit with a parent unit writes its parent instead). Empty: no such line.
GOVERNING_BODY = env("GOVERNING_BODY", "")

# ---- logs (B15) --------------------------------------------------------------------------------
# "text" (the message alone, as before) or "json": one JSON object a line with the time, level,
# logger, message, request id, account id and view (operations.logs). Either way, tokens in URLs
# are masked. LOG_REQUESTS adds a line per request (method, path, status, duration); on by
# default with JSON.
LOG_FORMAT = env("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOG_REQUESTS = env_bool("LOG_REQUESTS", LOG_FORMAT == "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "operations.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every layout step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        # runserver's request lines hold the whole query string: through the masking filter.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

SILENCED_SYSTEM_CHECKS = [
    # Lockout is by account name only, on purpose: a whole office often shares one public address,
    # and locking that address would lock every colleague out after one person's typos.
    "axes.W006",
]
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
FORM_RENDERER = "core.forms.BootstrapFormRenderer"

# ---- health and metrics (B15) -----------------------------------------------------------------
# Who may read /healthz, /readyz and /metrics (anyone else gets a 404): addresses or networks
# (CIDR), comma-separated, as seen through TRUSTED_PROXY_COUNT proxies.
MONITORING_ALLOWED_IPS = env_list("MONITORING_ALLOWED_IPS", "127.0.0.1,::1")
# /readyz fails when more than READYZ_OUTBOX_LIMIT e-mails have been due for longer than
# READYZ_OUTBOX_MINUTES without a worker taking them.
READYZ_OUTBOX_MINUTES = env_int("READYZ_OUTBOX_MINUTES", 15)
READYZ_OUTBOX_LIMIT = env_int("READYZ_OUTBOX_LIMIT", 100)

# ---- notifications (M5, B1) ---------------------------------------------------------------------
# The address people reach the product at: links in e-mails and calendar entries.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
ICAL_DOMAIN = env("ICAL_DOMAIN", SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0])
ICAL_ORGANISER_EMAIL = env("ICAL_ORGANISER_EMAIL", "hopkhonggiay@" + ICAL_DOMAIN)
# Reminders before the start (minutes; default a day and two hours) to invitees that have not
# opened the meeting or named attendees; a warning before comments close (0 turns it off).
NOTIFY_REMINDER_MINUTES = env_list("NOTIFY_REMINDER_MINUTES", "1440,120")
NOTIFY_COMMENTS_CLOSING_MINUTES = env_int("NOTIFY_COMMENTS_CLOSING_MINUTES", 60)
# The outbox: tries per message, the first retry delay (doubling each time) and its cap.
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 8)
NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 60)
NOTIFY_RETRY_MAX_SECONDS = env_int("NOTIFY_RETRY_MAX_SECONDS", 3600)
NOTIFY_BATCH_SIZE = env_int("NOTIFY_BATCH_SIZE", 50)
# How long a worker may hold claimed messages before another may take them over.
NOTIFY_CLAIM_SECONDS = env_int("NOTIFY_CLAIM_SECONDS", 600)
# SMS through Jasmin's HTTP API (http://host:1401/send); empty turns SMS off. SMS_GSM7 sends the
# texts without diacritics in GSM-7 (160 characters a message) for gateways that need it;
# otherwise Vietnamese goes as UCS-2 (70). SMS_SENDER is the sender name or number, if any.
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")
SMS_GATEWAY_USERNAME = env("SMS_GATEWAY_USERNAME")
SMS_GATEWAY_PASSWORD = env("SMS_GATEWAY_PASSWORD")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)
SMS_GSM7 = env_bool("SMS_GSM7", True)
SMS_SENDER = env("SMS_SENDER")

# ---- in the room (B6, B10) ------------------------------------------------------------------
# The minutes a speaker gets by default; the secretary changes it per meeting.
ROOM_SPEAKER_MINUTES = env_int("ROOM_SPEAKER_MINUTES", 3)

# ---- attendance at the door and online (B5, B9) ----------------------------------------------
# The join-online button shows this many minutes before the start, until the end.
ONLINE_JOIN_MINUTES_BEFORE = env_int("ONLINE_JOIN_MINUTES_BEFORE", 15)
# A check-in QR code is accepted from this many minutes before the start, until the end.
CHECK_IN_MINUTES_BEFORE = env_int("CHECK_IN_MINUTES_BEFORE", 30)

# ---- digital signatures (B14) -----------------------------------------------------------------
# PKCS#12 (.p12) keys of the signers live as files in this directory, outside the database and
# outside the media storage; the admin copies them there (mode 0700, owned by the app's user) and
# names the file on the key's row in the admin. The signer types the passphrase when signing.
SIGNING_KEY_DIR = Path(env("SIGNING_KEY_DIR", str(BASE_DIR / "var" / "signing-keys")))
# A USB token's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so or the vendor's; empty: no
# token signing. The signer types the token's PIN when signing.
PKCS11_MODULE = env("PKCS11_MODULE")
# The place on the minutes' "<place>, ngày ... tháng ... năm ..." line, e.g. the province's name
# ("Quảng Nam"); the chair may change it when approving. Empty: the chair types it.
MINUTES_PLACE = env("MINUTES_PLACE", "")
# The place written in each signature ("Location"), e.g. the province's name.
SIGNING_LOCATION = env("SIGNING_LOCATION", "Việt Nam")
# An RFC 3161 timestamping authority's URL; empty: signatures carry no timestamp (no network).
SIGNING_TIMESTAMP_URL = env("SIGNING_TIMESTAMP_URL")
# Uploaded PDFs larger than this are not checked for signatures (the check reads the whole file).
SIGNATURE_CHECK_MAX_BYTES = env_int("SIGNATURE_CHECK_MAX_BYTES", 100 * 1024 * 1024)

# ---- task queue (django-q2) ------------------------------------------------------------------
# Empty: the database is the broker (one server, nothing else to run). redis://host:6379/0 for
# the scale-out set-up with several workers.
TASK_BROKER_URL = env("TASK_BROKER_URL")
Q_CLUSTER: dict = {
    "name": env("TASK_QUEUE_NAME", "hopkhonggiay"),
    "workers": env_int("TASK_WORKERS", 2),
    "timeout": 900,
    "retry": 1200,
    # The outbox retries messages itself; a task that fails is not run again by the queue.
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 500,
    "label": _("Hàng đợi tác vụ"),
}
if TASK_BROKER_URL.startswith(("redis://", "rediss://", "unix://")):
    Q_CLUSTER["redis"] = TASK_BROKER_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1
