"""The API's limits (core.limits through api.auth): per token and per address, 429 in the API's
error shape with Retry-After, another token or address untouched, a new window after
Retry-After seconds. The suite runs without limits (config/settings/test.py); each test sets its
own."""

import time

import pytest
from django.test import Client
from django.test.utils import override_settings
from redis.backoff import NoBackoff
from redis.retry import Retry

ME = "/api/v1/me"
OFF = {"api_token": "", "api_address": "", "login": "", "public": ""}


def limits(**rates: str) -> dict[str, str]:
    return {**OFF, **rates}


def call(token: str | None, address: str):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return Client(REMOTE_ADDR=address).get(ME, **headers)


def refused(response, seconds: int) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= seconds
    body = response.json()
    assert body["code"] == "rate_limited"
    assert body["errors"] == {}
    assert body["message"] == (
        "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. "
        f"Vui lòng thử lại sau {response['Retry-After']} giây."
    )


@pytest.mark.django_db
def test_one_token_past_its_limit_from_any_address(token_for) -> None:
    stolen, other = token_for("member", "read"), token_for("clerk", "read")
    with override_settings(RATE_LIMITS=limits(api_token="3/m")):
        for address in ("10.8.0.1", "10.8.0.2", "10.8.0.3"):
            assert call(stolen, address).json()["username"] == "member1"
        refused(call(stolen, "10.8.0.4"), 60)
        # Another token from the same address is not affected.
        assert call(other, "10.8.0.4").json()["username"] == "clerk1"


@pytest.mark.django_db
def test_made_up_tokens_and_none_count_against_the_address(token_for) -> None:
    real = token_for("member", "read")
    with override_settings(RATE_LIMITS=limits(api_address="3/m")):
        for number in range(3):
            assert call(f"bia-{number}", "10.8.1.1").status_code == 401
        refused(call("bia-4", "10.8.1.1"), 60)
        refused(call(None, "10.8.1.1"), 60)
        refused(call(real, "10.8.1.1"), 60)
        assert call("bia-5", "10.8.1.2").status_code == 401
        assert call(real, "10.8.1.2").status_code == 200


@pytest.mark.django_db
def test_the_token_limit_resets_after_retry_after(token_for) -> None:
    token = token_for("member", "read")
    with override_settings(RATE_LIMITS=limits(api_token="2/s")):
        # A one-second window: call until refused, then wait what Retry-After says.
        for _ in range(10):
            response = call(token, "10.8.2.1")
            if response.status_code == 429:
                break
        refused(response, 1)
        time.sleep(int(response["Retry-After"]))
        assert call(token, "10.8.2.1").status_code == 200


@pytest.mark.django_db
def test_a_cache_that_does_not_answer_lets_calls_through(token_for) -> None:
    token = token_for("member", "read")
    nowhere = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers there
        # No retries: the default's backoff would make each call wait seconds.
        "OPTIONS": {"socket_connect_timeout": 0.2, "retry": Retry(NoBackoff(), 0)},
    }
    with override_settings(
        RATE_LIMITS=limits(api_token="1/m", api_address="1/m"),
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "limits": nowhere,
        },
        RATELIMIT_USE_CACHE="limits",
    ):
        for _ in range(3):
            assert call(token, "10.8.3.1").json()["username"] == "member1"
