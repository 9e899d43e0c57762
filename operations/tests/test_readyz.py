"""/healthz and /readyz: each part stopped in turn makes /readyz a 503 that names it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.testing.s3 import storage_settings
from notifications.models import AccountNotice, OutboxMessage

from .helpers import REDIS_URL, closed_port, require_redis

PARTS = ["database", "cache", "queue_broker", "storage", "outbox"]


def _readyz(client: Client | None = None) -> tuple[int, dict]:
    response = (client or Client()).get(reverse("operations:readyz"))
    assert response["Content-Type"] == "application/json", response.content
    assert "no-store" in response["Cache-Control"], response["Cache-Control"]
    return response.status_code, response.json()


def _failing(body: dict) -> list[str]:
    return sorted(name for name, check in body["checks"].items() if check["status"] != "ok")


def test_healthz_answers_without_the_database() -> None:
    # No django_db mark: any query, even a session's, would raise here.
    response = Client().get(reverse("operations:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_with_every_part_up() -> None:
    status, body = _readyz()
    assert (status, body["status"]) == (200, "ok"), body
    assert sorted(body["checks"]) == sorted(PARTS), body
    assert _failing(body) == []


@pytest.mark.django_db
def test_readyz_with_redis_as_cache_and_broker() -> None:
    require_redis()
    cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    cache["default"]["LOCATION"] = REDIS_URL
    with override_settings(CACHES=cache, TASK_BROKER_URL=REDIS_URL):
        status, body = _readyz()
    assert (status, _failing(body)) == (200, []), body
    assert sorted(body["checks"]) == sorted(PARTS)


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_does_not_answer() -> None:
    location = f"redis://127.0.0.1:{closed_port()}/0"
    cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    cache["default"]["LOCATION"] = location
    with override_settings(CACHES=cache):
        status, body = _readyz()
    assert (status, body["status"], _failing(body)) == (503, "fail", ["cache"]), body
    assert body["checks"]["cache"]["error"], body


@pytest.mark.django_db
def test_readyz_names_the_broker_when_redis_does_not_answer() -> None:
    with override_settings(TASK_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        status, body = _readyz()
    assert (status, _failing(body)) == (503, ["queue_broker"]), body
    assert "Redis" in body["checks"]["queue_broker"]["error"], body


@pytest.mark.django_db
def test_readyz_names_the_storage_when_its_folder_cannot_be_made(tmp_path: Path) -> None:
    # A file where the folder should be: even root cannot write below it.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with override_settings(MEDIA_ROOT=blocker / "media"):
        status, body = _readyz()
    assert (status, _failing(body)) == (503, ["storage"]), body
    assert not (blocker / "media").exists()


@pytest.mark.django_db
def test_readyz_writes_its_probe_to_s3_and_leaves_nothing(s3_storage) -> None:
    status, body = _readyz()
    assert (status, _failing(body)) == (200, []), body
    assert s3_storage.keys() == [], "the probe object was not deleted"


@pytest.mark.django_db
def test_readyz_names_the_storage_when_s3_does_not_answer() -> None:
    stopped = f"http://127.0.0.1:{closed_port()}"
    with override_settings(**storage_settings(stopped, "hkg-stopped")):
        status, body = _readyz()
    assert (status, _failing(body)) == (503, ["storage"]), body


def _queued(due_minutes_ago: int) -> OutboxMessage:
    user = UserFactory()
    notice = AccountNotice.objects.create(user=user, kind=AccountNotice.Kind.PASSWORD_RESET)
    return OutboxMessage.objects.create(
        notice=notice,
        to_email=user.email or "a@example.org",
        next_attempt_at=timezone.now() - timedelta(minutes=due_minutes_ago),
    )


@pytest.mark.django_db
@override_settings(READYZ_OUTBOX_MINUTES=15, READYZ_OUTBOX_LIMIT=0)
def test_readyz_names_the_outbox_when_mail_waits_past_the_limit() -> None:
    _queued(due_minutes_ago=1)  # just queued: a worker has a minute to take it
    retrying = _queued(due_minutes_ago=-30)  # waiting for its next try: not due
    retrying.created_at = timezone.now() - timedelta(hours=2)
    retrying.save()
    assert _failing(_readyz()[1]) == []

    _queued(due_minutes_ago=60)
    status, body = _readyz()
    assert (status, _failing(body)) == (503, ["outbox"]), body
    assert "1 messages due for more than 15 minutes" in body["checks"]["outbox"]["error"]

    OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).update(
        status=OutboxMessage.Status.SENT
    )
    assert _readyz()[0] == 200


@pytest.mark.django_db
@override_settings(READYZ_OUTBOX_LIMIT=2)
def test_readyz_tolerates_a_backlog_up_to_the_limit() -> None:
    for _ in range(2):
        _queued(due_minutes_ago=60)
    assert _readyz()[0] == 200
    _queued(due_minutes_ago=60)
    assert _failing(_readyz()[1]) == ["outbox"]


@pytest.mark.parametrize("name", ["operations:healthz", "operations:readyz", "operations:metrics"])
def test_monitoring_urls_refuse_other_methods(name: str, db) -> None:
    assert Client().post(reverse(name)).status_code == 405
