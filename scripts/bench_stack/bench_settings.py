"""The production settings with one more URL: a bare Django view, the baseline of the load run."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
