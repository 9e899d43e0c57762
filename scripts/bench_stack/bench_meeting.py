"""What the viewer's and the offline benchmarks build in their `manage.py shell` (on the demo's
data): a published meeting of the office that invites the Department of Finance, with PDFs of
`pages` pages, and a reader's signed-in session."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import Unit, User
from accounts.tests.factories import signed_in_client
from browser_tests.test_viewer import big_pdf
from documents.services import document_add
from meetings import services
from meetings.tests.factories import make_meeting


def meeting_with_pdfs(title: str, *, names: list[str], pages: int) -> tuple[Any, list[Any]]:
    """The meeting, published, and one document per name, each the same PDF of `pages` pages."""
    clerk = User.objects.get(username="vanthu")
    assert clerk.unit is not None
    start = timezone.now() + timedelta(days=2)
    meeting = make_meeting(
        by=clerk,
        title=title,
        start_at=start,
        end_at=start + timedelta(hours=2),
        location=clerk.unit.locations.first(),
        units=[Unit.objects.get(code="STC")],
    )
    services.meeting_publish(meeting=meeting, by=clerk, late_reason="Đo thử")
    pdf = big_pdf(pages)
    documents = [
        document_add(
            meeting=meeting,
            by=clerk,
            uploaded=SimpleUploadedFile(name, pdf, "application/pdf"),
        )
        for name in names
    ]
    return meeting, documents


def session_of(username: str) -> dict[str, str]:
    """The cookie's name and value of a new signed-in session of the account."""
    client = signed_in_client(User.objects.get(username=username), Client())
    name = settings.SESSION_COOKIE_NAME
    return {"cookie": name, "session": client.cookies[name].value}
