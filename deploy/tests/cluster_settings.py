"""The multi-node test's app servers and worker run the production settings as they are, except
that static files come from the app folders through WhiteNoise (no collectstatic in a test)."""

from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES as PRODUCTION_STORAGES

STORAGES = {
    **PRODUCTION_STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
