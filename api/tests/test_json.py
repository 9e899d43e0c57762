"""The API answers Vietnamese as written: UTF-8 bytes, not "\\u1ed9" escapes, in its answers, its
errors and its description, always as application/json; charset=utf-8."""

import json

import pytest
from django.test import Client

from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.django_db

JSON_UTF8 = "application/json; charset=utf-8"


def _raw(response) -> bytes:
    assert response["Content-Type"] == JSON_UTF8
    assert b"\\u" not in response.content
    json.loads(response.content)  # still JSON
    return response.content


def test_a_meeting_list_is_utf8_text(role_users, department, api_client) -> None:
    clerk = role_users["clerk"]
    meeting = make_meeting(by=clerk, title="Hội nghị tổng kết công tác năm", units=[department])
    publish(meeting, clerk)
    response = api_client("unit_leader").get("/api/v1/meetings")
    assert response.status_code == 200
    raw = _raw(response)
    assert "Hội nghị tổng kết công tác năm".encode() in raw
    assert response.json()["items"][0]["title"] == "Hội nghị tổng kết công tác năm"


def test_an_error_is_utf8_text(role_users, api_client) -> None:
    response = api_client("member").get("/api/v1/meetings/999999")
    assert response.status_code == 404
    assert "Không tìm thấy".encode() in _raw(response)
    unauthenticated = Client().get("/api/v1/me")
    assert unauthenticated.status_code == 401
    assert "Cần mã truy cập hợp lệ".encode() in _raw(unauthenticated)


def test_a_nul_in_the_query_is_refused_in_utf8_text(role_users, api_client) -> None:
    response = api_client("member").get("/api/v1/meetings", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "Yêu cầu chứa ký tự NUL".encode() in _raw(response)


def test_the_description_is_utf8_text(db) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    raw = _raw(response)
    assert "Mỗi yêu cầu gửi tiêu đề Authorization".encode() in raw
    assert "Cuộc họp của tài khoản".encode() in raw
