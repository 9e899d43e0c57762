"""The OpenAPI description and its docs page, served from this site only."""

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_openapi_description_lists_every_operation(db) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert {
        "/api/v1/me",
        "/api/v1/calendar.ics",
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/meetings/{meeting_id}/invitees",
        "/api/v1/meetings/{meeting_id}/documents",
        "/api/v1/meetings/{meeting_id}/publish",
        "/api/v1/meetings/{meeting_id}/calendar.ics",
        "/api/v1/documents/{document_id}/download",
    } <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert "401" in operation["responses"], (method, path)
            assert operation["security"], (method, path)


def test_docs_page_uses_no_cdn(db) -> None:
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/api/swagger-init.js" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert "<script>" not in html  # nothing inline for the Content-Security-Policy to refuse
    assert finders.find("vendor/swagger-ui/swagger-ui-bundle.js")
    assert finders.find("vendor/swagger-ui/swagger-ui.css")
