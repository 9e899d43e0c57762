"""config.warm: an app server process builds its URL map and compiles the page frame when it
starts (config.wsgi), not in the first requests it serves."""

from django.template import engines
from django.urls import clear_url_caches, get_resolver

from config.warm import FRAME, warm


def test_warm_builds_the_url_map_and_compiles_the_frame(settings):
    settings.DEBUG = False
    clear_url_caches()
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    assert not get_resolver()._populated
    assert not loader.get_template_cache

    warm()

    assert get_resolver()._populated
    assert set(FRAME) <= set(loader.get_template_cache)


def test_the_wsgi_module_warms_the_process(monkeypatch):
    import importlib
    import sys

    called = []
    monkeypatch.setattr("config.warm.warm", lambda: called.append(True))
    sys.modules.pop("config.wsgi", None)
    importlib.import_module("config.wsgi")
    assert called == [True]
