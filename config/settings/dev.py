"""Local development: `make run`. A secret key is generated once into the ignored .secret_key."""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, SECRET_KEY, env, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# The demo province (accounts' load_demo) is Tây Ninh.
GOVERNING_BODY = env("GOVERNING_BODY", "UBND tỉnh Tây Ninh")

if not SECRET_KEY:
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

# Each e-mail in one line on the terminal, the whole message in a file under var/mail/.
EMAIL_BACKEND = "notifications.demo_mail.EmailBackend"
EMAIL_FILE_PATH = str(BASE_DIR / "var" / "mail")
# Served from the app folders and node_modules by WhiteNoise; collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
