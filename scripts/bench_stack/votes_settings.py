"""The load run's settings (production, plus the bare view) for the votes run, with the plain
static files storage: the pages name their CSS and scripts without the manifest, so that no
collectstatic (minutes on a busy machine) precedes a run that fetches none of them."""

from bench_settings import *  # noqa: F403
from bench_settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
