import pytest

from meetings.tests.factories import make_document


@pytest.fixture
def upload(meetings, role_users, django_capture_on_commit_callbacks):
    """Adds a document to the published meeting and runs what is queued after commit: in the
    tests the queue is synchronous, so the text is read (in a child process) before this returns."""

    def add(name: str, content: bytes, meeting=None):
        with django_capture_on_commit_callbacks(execute=True):
            document = make_document(
                meeting or meetings["published"], role_users["clerk"], name, content
            )
        document.refresh_from_db()
        return document

    return add


@pytest.fixture(autouse=True)
def _processing(document_processing):
    """These tests are about what happens to each new version (documents.processing): on."""
