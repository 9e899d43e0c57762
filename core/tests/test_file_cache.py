"""The one server's file cache (CACHE_DIR): culled now and then, not listed at every write."""

import time

import pytest

from core.file_cache import FileBasedCache


@pytest.fixture
def small_cache(tmp_path):
    return FileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 5, "CULL_FREQUENCY": 2}})


def entries(cache: FileBasedCache) -> int:
    return len(cache._list_cache_files())


def test_writes_do_not_list_the_folder_each_time(small_cache):
    """Django's file cache lists its whole folder before every write (milliseconds once it holds
    a few thousand sessions and versions); this one culls at most once every CULL_EVERY."""
    for n in range(20):
        small_cache.set(f"key{n}", n, 60)
    assert entries(small_cache) == 20
    assert small_cache.get("key19") == 19


def test_it_is_culled_again_once_the_time_has_passed(small_cache, monkeypatch):
    for n in range(20):
        small_cache.set(f"key{n}", n, 60)
    monkeypatch.setattr(FileBasedCache, "CULL_EVERY", 0.0)
    time.sleep(0.01)
    small_cache.set("one-more", 1, 60)
    assert entries(small_cache) <= 12
    assert small_cache.get("one-more") == 1
