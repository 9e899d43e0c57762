"""Office files to PDF with LibreOffice (B2): real conversions, once per version, failures and a
server without LibreOffice ending in a clear state, and the command that queues the rest."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from documents.services import document_replace
from meetings.tests.factories import make_document
from viewer.convert import soffice
from viewer.models import Rendition
from viewer.services import rendition_convert

from .conftest import docx_bytes

needs_libreoffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")


def _pdf_text(rendition: Rendition) -> str:
    with rendition.file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@needs_libreoffice
def test_a_word_file_becomes_a_pdf_with_its_vietnamese_text_once(
    meetings, role_users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(
            meetings["published"],
            role_users["clerk"],
            "Tờ trình ngân sách.docx",
            docx_bytes("Kính gửi Ủy ban nhân dân tỉnh: đề nghị phê duyệt dự toán năm 2026."),
        )
    rendition = Rendition.objects.get(version=document.current)
    assert rendition.status == Rendition.Status.DONE, rendition.error
    assert rendition.pages == 1 and rendition.attempts == 1
    assert rendition.size == rendition.file.size and rendition.seconds > 0
    assert rendition.file.name.startswith("renditions/") and "Tờ" not in rendition.file.name
    text = _pdf_text(rendition)
    assert "Ủy ban nhân dân tỉnh" in text and "dự toán ngân sách" in text

    # Saving the version again, or the task running again, converts nothing.
    name = rendition.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document.current.save()
    assert rendition_convert(version_id=document.current_id).attempts == 1
    rendition.refresh_from_db()
    assert rendition.file.name == name and rendition.attempts == 1
    assert Rendition.objects.count() == 1


def test_a_new_version_converts_again_and_no_libreoffice_is_unavailable(
    meetings, role_users, django_capture_on_commit_callbacks, settings
):
    settings.VIEWER_SOFFICE = "/khong-co/soffice"
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(
            meetings["published"], role_users["clerk"], "Biểu số liệu.docx", docx_bytes()
        )
    first = Rendition.objects.get(version=document.current)
    assert first.status == Rendition.Status.UNAVAILABLE
    assert "LibreOffice" in first.error and not first.file
    with django_capture_on_commit_callbacks(execute=True):
        second_version = document_replace(
            document=document,
            by=role_users["clerk"],
            uploaded=SimpleUploadedFile("Biểu số liệu v2.docx", docx_bytes("Bản sửa")),
        )
    second = Rendition.objects.get(version=second_version)
    assert second.pk != first.pk and second.attempts == 1
    assert Rendition.objects.filter(version__document=document).count() == 2


def test_pdfs_and_zips_get_no_conversion(meetings, role_users):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "xin chào")
    pdf = make_document(meetings["published"], role_users["clerk"], "Báo cáo.pdf")
    archive = make_document(
        meetings["published"], role_users["clerk"], "Hồ sơ.zip", buffer.getvalue()
    )
    assert not Rendition.objects.filter(version=pdf.current).exists()
    assert Rendition.objects.get(version=archive.current).status == "unavailable"


@needs_libreoffice
def test_a_corrupt_word_file_fails_with_a_message(word_document):
    version = word_document.current
    # What a broken upload looks like to LibreOffice: the declared kind, bytes it cannot read.
    with open(version.file.path, "wb") as handle:
        handle.write(b"PK\x03\x04" + b"\x00hong" * 2000)
    rendition = rendition_convert(version_id=version.pk)
    assert rendition.status == Rendition.Status.FAILED
    assert rendition.error and not rendition.file
    assert rendition.finished_at is not None


def test_a_file_over_the_limit_is_not_converted(word_document, settings):
    settings.VIEWER_CONVERT_MAX_BYTES = 100
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    rendition = rendition_convert(version_id=word_document.current_id)
    assert rendition.status == Rendition.Status.FAILED and "larger than 100" in rendition.error


def test_the_command_queues_versions_without_a_conversion(word_document, settings):
    settings.VIEWER_SOFFICE = "/khong-co/soffice"
    Rendition.objects.all().delete()
    out = io.StringIO()
    call_command("convert_documents", "--now", stdout=out)
    # The fixtures' PDFs are skipped; the Word file is converted here (unavailable: no program).
    assert out.getvalue().strip() == "1"
    assert Rendition.objects.get(version=word_document.current).status == "unavailable"
    out = io.StringIO()
    call_command("convert_documents", stdout=out)
    assert out.getvalue().strip() == "0"
    call_command("convert_documents", "--failed", stdout=out)
    assert Rendition.objects.get(version=word_document.current).status == "pending"
