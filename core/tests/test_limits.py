"""Limits on the sign-in form and the public schedule's feeds and search (core.limits): 429 with
Retry-After and a Vietnamese page past the limit, another address untouched, a new window after
Retry-After seconds, the refusals in /metrics, and one count shared through Redis by two cache
clients, as by two app servers. The suite runs without limits (config/settings/test.py); each
test sets its own."""

import os
import re
import time
import uuid
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from accounts.models import LoginEvent

LOGIN = "/tai-khoan/dang-nhap/"
OFF = {"api_token": "", "api_address": "", "login": "", "public": ""}
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
VIETNAMESE = "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn"


@pytest.fixture
def still_clock(monkeypatch) -> None:
    """django-ratelimit's clock stopped for the test: its requests all fall in one window. Its
    windows are fixed, each key's ending at its own second of the period, and a slow run once
    crossed an end between the third and the fourth request (the fourth then let through)."""
    import django_ratelimit.core as counting

    now = time.time()
    monkeypatch.setattr(counting, "time", SimpleNamespace(time=lambda: now))


def limits(**rates: str) -> dict[str, str]:
    return {**OFF, **rates}


def sign_in(address: str, password: str = "sai-mat-khau") -> object:
    client = Client(REMOTE_ADDR=address)
    return client.post(LOGIN, {"username": "member1", "password": password})


def refused(response, seconds: int) -> None:
    """A 429 page in Vietnamese saying when to come back, and Retry-After saying the same."""
    assert response.status_code == 429
    assert response["Retry-After"].isdigit()
    assert 1 <= int(response["Retry-After"]) <= seconds
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert "Quá nhiều yêu cầu" in text
    assert f"thử lại sau {response['Retry-After']} giây" in text


def refusals(limit: str) -> float:
    """The refusals /metrics counts for a limit (0 before the first)."""
    body = Client(REMOTE_ADDR="127.0.0.1").get(reverse("operations:metrics")).content.decode()
    found = re.search(
        rf'^hopkhonggiay_rate_limit_refusals_total{{limit="{limit}"}} (\S+)$', body, re.M
    )
    return float(found.group(1)) if found else 0.0


@pytest.mark.django_db
def test_sign_in_posts_past_the_limit_get_429_and_never_reach_the_form(
    role_users, still_clock
) -> None:
    before = refusals("login")
    with override_settings(RATE_LIMITS=limits(login="3/m")):
        for _ in range(3):
            assert sign_in("10.7.0.1").status_code == 200  # the form, with its error
        refused(sign_in("10.7.0.1"), 60)
        # The right password is refused too while the window lasts: nothing is checked.
        refused(sign_in("10.7.0.1", password="anything"), 60)
        # Showing the form is not counted; another address is not affected.
        assert Client(REMOTE_ADDR="10.7.0.1").get(LOGIN).status_code == 200
        assert sign_in("10.7.0.2").status_code == 200
    # The refused posts were not sign-in attempts: the login log has the three failures only.
    assert LoginEvent.objects.filter(ip_address="10.7.0.1").count() == 3
    assert refusals("login") == before + 2


@pytest.mark.django_db
def test_the_public_schedule_and_its_feeds_share_one_limit_per_address(still_clock) -> None:
    before = refusals("public")
    visitor = Client(REMOTE_ADDR="10.7.1.1")
    with override_settings(RATE_LIMITS=limits(public="3/m")):
        assert visitor.get(reverse("meetings:schedule"), {"q": "họp"}).status_code == 200
        assert visitor.get(reverse("calendars:public_feed")).status_code == 200
        assert visitor.get(reverse("calendars:feed", args=["khong-co"])).status_code == 404
        refused(visitor.get(reverse("meetings:schedule"), {"q": "họp"}), 60)
        refused(visitor.get(reverse("calendars:public_feed")), 60)
        assert (
            Client(REMOTE_ADDR="10.7.1.2").get(reverse("calendars:public_feed")).status_code == 200
        )
        # Signed-in pages are not limited here.
        assert visitor.get(reverse("portal:home")).status_code == 200
    assert refusals("public") == before + 2


@pytest.mark.django_db
def test_limits_off_let_everything_through() -> None:
    visitor = Client(REMOTE_ADDR="10.7.2.1")
    with override_settings(RATE_LIMITS=OFF):
        for _ in range(20):
            assert visitor.get(reverse("calendars:public_feed")).status_code == 200


@pytest.mark.django_db
def test_a_new_window_after_retry_after_seconds() -> None:
    visitor = Client(REMOTE_ADDR="10.7.3.1")
    with override_settings(RATE_LIMITS=limits(public="2/s")):
        # A one-second window: ask until refused (two or three asks, unless a second ends
        # between them), then wait what Retry-After says.
        for _ in range(10):
            response = visitor.get(reverse("calendars:public_feed"))
            if response.status_code == 429:
                break
        refused(response, 1)
        time.sleep(int(response["Retry-After"]))
        assert visitor.get(reverse("calendars:public_feed")).status_code == 200


def _redis_answers() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 (any failure to reach it means the same)
        return str(error)
    return None


@pytest.fixture
def two_redis_clients() -> Iterator[tuple[str, str]]:
    """Two cache aliases on one Redis, each with its own client and connections, as two app
    servers with the same CACHE_URL; the keys under a prefix of this test's own, removed after."""
    error = _redis_answers()
    if error is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis ({REDIS_URL}) does not answer: {error} (CI=true: it must run)")
        pytest.skip(f"Redis ({REDIS_URL}) does not answer: {error}")
    prefix = f"limits-test-{uuid.uuid4().hex}"
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": backend, "server2": dict(backend)}):
        assert caches["default"] is not caches["server2"]
        yield "default", "server2"
        import redis

        server = redis.Redis.from_url(REDIS_URL)
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


@pytest.mark.django_db
def test_two_app_servers_share_the_count_through_redis(two_redis_clients) -> None:
    first, second = two_redis_clients
    visitor = Client(REMOTE_ADDR="10.7.4.1")
    with override_settings(RATE_LIMITS=limits(public="3/m"), RATELIMIT_USE_CACHE=first):
        for _ in range(2):
            assert visitor.get(reverse("calendars:public_feed")).status_code == 200
    with override_settings(RATE_LIMITS=limits(public="3/m"), RATELIMIT_USE_CACHE=second):
        assert visitor.get(reverse("calendars:public_feed")).status_code == 200
        refused(visitor.get(reverse("calendars:public_feed")), 60)
        assert (
            Client(REMOTE_ADDR="10.7.4.2").get(reverse("calendars:public_feed")).status_code == 200
        )
