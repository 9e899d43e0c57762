"""core.polling: the versions of the polled fragments, kept in the cache."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache

from core import polling

pytestmark = pytest.mark.django_db  # bumps are made again when the transaction commits


def test_a_bump_changes_the_tag_and_only_the_tags_watching_it():
    screen = polling.Watch(versions=["room:1", "votes:1"], private="5-vi")
    other = polling.Watch(versions=["room:2"], private="5-vi")
    before = polling.etag_for(screen), polling.etag_for(other)
    assert (polling.etag_for(screen), polling.etag_for(other)) == before
    polling.bump("votes:1")
    assert polling.etag_for(screen) != before[0]
    assert polling.etag_for(other) == before[1]


def test_the_reader_s_own_part_makes_another_tag():
    one = polling.Watch(versions=["room:1"], private="5-vi")
    assert polling.etag_for(one) != polling.etag_for(polling.Watch(["room:1"], private="5-en"))


def test_a_version_lost_by_the_cache_comes_back_as_a_new_one():
    watch = polling.Watch(versions=["comments:3"])
    before = polling.etag_for(watch)
    cache.delete(polling.VERSION + "comments:3")
    assert polling.etag_for(watch) != before


def test_a_version_bumped_to_last_a_while_ends_by_itself():
    """A closed vote's result leaves the room's screen after a while: its version does too."""
    watch = polling.Watch(versions=["shown:1"])
    polling.bump("shown:1", lasts=timedelta(seconds=1))
    before = polling.etag_for(watch)
    assert polling.etag_for(watch) == before
    time.sleep(1.1)
    assert polling.etag_for(watch) != before


def test_a_failing_cache_answers_every_poll_in_full(settings):
    # A Redis where nothing listens.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    watch = polling.Watch(versions=["room:1"])
    assert polling.etag_for(watch) != polling.etag_for(watch)
    polling.bump("room:1")  # logged, not raised: the change itself is committed


def test_a_bump_inside_a_transaction_is_made_again_after_it_commits(
    django_capture_on_commit_callbacks,
):
    watch = polling.Watch(versions=["ballots:1"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        polling.bump("ballots:1")
        during = polling.etag_for(watch)
    for callback in callbacks:
        callback()
    assert polling.etag_for(watch) != during


def test_peeking_writes_nothing_and_still_sees_a_bump():
    watch = polling.Watch(versions=["calls:4"])
    before = polling.peek_tag(watch)
    assert cache.get(polling.VERSION + "calls:4") is None
    assert polling.peek_tag(watch) == before
    polling.bump("calls:4")
    assert polling.peek_tag(watch) != before
