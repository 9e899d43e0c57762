import io

import pytest


def docx_bytes(*paragraphs: str) -> bytes:
    """A real Word file (python-docx), with Vietnamese text."""
    import docx

    word = docx.Document()
    word.add_heading("Tờ trình về việc phê duyệt dự toán ngân sách", level=1)
    for paragraph in paragraphs or ("Kính gửi Ủy ban nhân dân tỉnh: đề nghị xem xét.",):
        word.add_paragraph(paragraph)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def word_document(meetings, role_users, django_capture_on_commit_callbacks):
    """A Word document on the published meeting, its conversion queued but not run."""
    from meetings.tests.factories import make_document

    return make_document(
        meetings["published"], role_users["clerk"], "Tờ trình ngân sách.docx", docx_bytes()
    )


@pytest.fixture(autouse=True)
def _processing(document_processing):
    """These tests are about what happens to each new version (documents.processing): on."""
