"""Notes on the fixtures' published document: the department's member writes them."""

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from documents.services import document_replace


def pages_pdf(pages: int, text: str = "Trang") -> bytes:
    """A PDF of `pages` pages, each with its number in text (WeasyPrint, as the exports)."""
    from weasyprint import HTML

    body = "".join(
        f'<p style="page-break-after: always">{text} {n}: Kế hoạch phát triển kinh tế</p>'
        for n in range(1, pages + 1)
    )
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def post_json(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json")


def highlight(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "highlight",
        "page": 1,
        "quote": "Kế hoạch năm",
        "rects": [[0.1, 0.2, 0.3, 0.02]],
        "text": "",
        **extra,
    }


def pin(**extra: Any) -> dict[str, Any]:
    return {"kind": "pin", "page": 1, "rects": [[0.5, 0.5]], "text": "Cần hỏi lại số liệu", **extra}


@pytest.fixture
def document(meetings):
    return meetings["document"]


@pytest.fixture
def create_url(document) -> str:
    return reverse("notes:document", args=[document.pk])


@pytest.fixture
def colleague(role_users, department) -> User:
    """Another account of the member's unit (the department is invited: it sees the document)."""
    return UserFactory(username="member2", role=User.Role.MEMBER, unit=department)


@pytest.fixture
def login():
    def make(user: User) -> Client:
        from accounts.tests.factories import verify_session
        from accounts.two_factor import required_for

        client = Client()
        client.force_login(user)
        if required_for(user):
            verify_session(client, user)
        return client

    return make


@pytest.fixture
def five_pages(document, role_users):
    """The document's current version becomes a five-page PDF."""
    document_replace(
        document=document,
        by=role_users["clerk"],
        uploaded=SimpleUploadedFile("Kế hoạch 5 trang.pdf", pages_pdf(5)),
    )
    document.refresh_from_db()
    return document


def read_pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
