"""/metrics: django-prometheus's request and database figures after some traffic, and the
product's own gauges read from the database."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.models import Task
from prometheus_client.parser import text_string_to_metric_families

from accounts.tests.factories import UserFactory
from notifications.models import AccountNotice, OutboxMessage


def scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = Client().get(reverse("operations:metrics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.django_db
def test_requests_per_view_and_status_and_database_queries() -> None:
    before = scrape()
    client = Client()
    for _ in range(3):
        assert client.get(reverse("portal:home")).status_code == 200
    assert client.get("/khong-co-trang-nay/").status_code == 404
    after = scrape()

    latency = "django_http_requests_latency_seconds_by_view_method_count"
    home = {"view": "portal:home", "method": "GET"}
    assert value(after, latency, **home) - value(before, latency, **home) == 3
    responses = "django_http_responses_total_by_status_view_method_total"
    ok = {"status": "200", "view": "portal:home", "method": "GET"}
    assert value(after, responses, **ok) - value(before, responses, **ok) == 3
    codes = "django_http_responses_total_by_status_total"
    assert value(after, codes, status="404") - value(before, codes, status="404") >= 1

    from django.db import connection

    queries = "django_db_execute_total"
    where = {"alias": "default", "vendor": connection.vendor}
    assert value(after, queries, **where) > value(before, queries, **where), (
        "database queries are not counted: is the django_prometheus backend in use?"
    )


def _message(status: str, due: timedelta = timedelta()) -> OutboxMessage:
    user = UserFactory()
    notice = AccountNotice.objects.create(user=user, kind=AccountNotice.Kind.PASSWORD_CHANGED)
    return OutboxMessage.objects.create(
        notice=notice,
        to_email=f"{user.username}@example.org",
        status=status,
        next_attempt_at=timezone.now() - due,
    )


@pytest.mark.django_db
def test_outbox_gauges() -> None:
    queued = OutboxMessage.Status.QUEUED
    _message(queued, due=timedelta(minutes=10))
    _message(queued, due=timedelta(minutes=-5))  # waiting for a retry
    _message(OutboxMessage.Status.FAILED)
    _message(OutboxMessage.Status.SENT)
    samples = scrape()
    counts = {
        status: value(samples, "hopkhonggiay_outbox_messages", status=status)
        for status in ("queued", "sending", "failed")
    }
    assert counts == {"queued": 2, "sending": 0, "failed": 1}
    assert 590 <= value(samples, "hopkhonggiay_outbox_oldest_due_seconds") < 3600
    assert value(samples, "hopkhonggiay_product_metrics_up") == 1


@pytest.mark.django_db
def test_worker_last_seen_is_the_latest_finished_task() -> None:
    assert value(scrape(), "hopkhonggiay_worker_last_seen_timestamp_seconds") == 0
    finished = timezone.now() - timedelta(seconds=42)
    for stopped in (finished - timedelta(minutes=5), finished):
        Task.objects.create(
            id=f"{stopped.timestamp()}"[:32],
            name=f"run-{stopped.timestamp()}",
            func="notifications.tasks.deliver_outbox",
            started=stopped - timedelta(seconds=1),
            stopped=stopped,
            success=True,
        )
    seen = value(scrape(), "hopkhonggiay_worker_last_seen_timestamp_seconds")
    assert seen == pytest.approx(finished.timestamp(), abs=0.01)


@pytest.mark.django_db
def test_documents_stored(meetings) -> None:
    from documents.models import Document, DocumentVersion

    samples = scrape()
    files = DocumentVersion.objects.count()
    assert files > 0, "the fixtures should hold documents"
    assert value(samples, "hopkhonggiay_document_files") == files
    assert value(samples, "hopkhonggiay_document_bytes") == sum(
        DocumentVersion.objects.values_list("size", flat=True)
    )
    assert value(samples, "hopkhonggiay_documents") == Document.objects.alive().count()
