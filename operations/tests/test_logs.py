"""Log lines: JSON with the request's id, the account and the view; never a password, a token or
a session."""

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.tests.factories import UserFactory, signed_in_client
from calendars.models import CalendarToken
from operations.logs import JsonFormatter, RequestContextFilter, mask


class Captured:
    def __init__(self) -> None:
        self.json = io.StringIO()
        self.text = io.StringIO()

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.json.getvalue().splitlines()]

    def everything(self) -> str:
        return self.json.getvalue() + self.text.getvalue()


@pytest.fixture
def logs() -> Iterator[Captured]:
    """Every record of every logger, down to DEBUG, through the JSON formatter and through the
    default plain one, as the console handler would write them."""
    captured = Captured()
    handlers = [logging.StreamHandler(captured.json), logging.StreamHandler(captured.text)]
    handlers[0].setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    for handler in handlers:
        handler.addFilter(RequestContextFilter())
        root.addHandler(handler)
    try:
        with override_settings(LOG_REQUESTS=True, DEBUG=False):
            yield captured
    finally:
        for handler in handlers:
            root.removeHandler(handler)
        root.setLevel(level)


def _request_lines(captured: Captured, path: str) -> list[dict]:
    return [
        line
        for line in captured.lines()
        if line["logger"] == "operations.requests" and line.get("path") == path
    ]


@pytest.mark.django_db
def test_a_request_line_names_the_request_the_account_and_the_view(logs: Captured) -> None:
    member = UserFactory()
    client = signed_in_client(member)
    response = client.get(reverse("portal:dashboard"), headers={"X-Request-ID": "nginx-7f3a"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "nginx-7f3a"

    [line] = _request_lines(logs, reverse("portal:dashboard"))
    assert line["request_id"] == "nginx-7f3a"
    assert line["account_id"] == member.pk
    assert line["view"] == "portal:dashboard"
    assert (line["level"], line["method"], line["status"]) == ("INFO", "GET", 200)
    assert line["message"] == f"GET {reverse('portal:dashboard')} 200"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"]), line
    assert isinstance(line["duration_ms"], float)


@pytest.mark.django_db
def test_lines_made_during_a_request_carry_its_id(logs: Captured) -> None:
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404
    generated = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    django_line = next(line for line in logs.lines() if line["logger"] == "django.request")
    assert django_line["request_id"] == generated
    assert django_line["account_id"] is None
    assert django_line["level"] == "WARNING"


@pytest.mark.django_db
def test_signing_in_writes_no_password_session_or_csrf_token(logs: Captured) -> None:
    secret = "Mật-khẩu-rất-riêng-2026!"
    user = UserFactory(username="chuyenvien7")
    user.set_password(secret)
    user.save()
    client = Client(enforce_csrf_checks=False)
    url = reverse("accounts:login") + "?next=/bang-dieu-khien/"
    wrong = client.post(url, {"username": "chuyenvien7", "password": secret + "x"})
    assert wrong.status_code == 200
    right = client.post(url, {"username": "chuyenvien7", "password": secret})
    assert right.status_code == 302
    session = client.cookies["sessionid"].value

    output = logs.everything()
    assert _request_lines(logs, reverse("accounts:login")), "the sign-in requests were not logged"
    assert secret not in output
    assert secret + "x" not in output
    assert session not in output
    csrf = client.cookies.get("csrftoken")
    assert csrf is None or csrf.value not in output


@pytest.mark.django_db
def test_calendar_feed_and_check_in_tokens_are_masked(logs: Captured) -> None:
    member = UserFactory()
    token = CalendarToken.objects.create(user=member).token
    feed = reverse("calendars:feed", args=[token])
    assert Client().get(feed).status_code == 200
    check_in = reverse("attendance:check_in", args=[1, "ma-diem-danh-bi-mat"])
    Client().get(check_in)

    output = logs.everything()
    assert token not in output
    assert "ma-diem-danh-bi-mat" not in output
    assert _request_lines(logs, "/lich/ical/***.ics")
    assert "/quet-diem-danh/***/" in output


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_every_url_carrying_a_token_is_masked() -> None:
    secret = "Zq9SECRETtok3n"
    covered = []
    for name, pattern in _patterns(get_resolver()):
        converters = getattr(pattern.pattern, "converters", {})
        if "token" not in converters:
            continue
        kwargs = {key: ("1" if key != "token" else secret) for key in converters}
        url = reverse(name, kwargs=kwargs)
        assert secret not in mask(f"GET {url} 200"), f"{name}: add its path to logs.SECRET_PATHS"
        covered.append(name)
    assert {"calendars:feed", "attendance:check_in"} <= set(covered), covered


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '"GET /lich/ical/abc.ics?token=t0k&page=2 HTTP/1.1" 200',
            '"GET /lich/ical/***.ics?token=***&page=2 HTTP/1.1" 200',
        ),
        (
            "/f?X-Amz-Signature=ab12&X-Amz-Credential=K%2F1",
            "/f?X-Amz-Signature=***&X-Amz-Credential=***",
        ),
        (
            "/dang-nhap/?next=/bang-dieu-khien/&sessionid=s3",
            "/dang-nhap/?next=/bang-dieu-khien/&sessionid=***",
        ),
        ("/tai-lieu/12/?page=3&q=ke+hoach", "/tai-lieu/12/?page=3&q=ke+hoach"),
    ],
)
def test_query_strings_keep_only_harmless_values(line: str, expected: str) -> None:
    assert mask(line) == expected
