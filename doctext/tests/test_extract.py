"""Reading text from each kind of file, and every way a file can go wrong without the worker
going down with it (B3)."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from core.text import fold
from doctext.extract import extract
from doctext.folding import fold_aligned
from doctext.models import VersionText
from doctext.tasks import extract_version

from . import files

FOLDED_VN = "ke hoach dau tu cong nam 2027 cua so tai chinh"


def _read(tmp_path, name: str, content: bytes, ext: str):
    path = tmp_path / name
    path.write_bytes(content)
    return extract(str(path), ext, 2000, 2_000_000)


@pytest.mark.parametrize(
    ("ext", "build", "pages", "also"),
    [
        ("docx", files.docx_bytes, None, files.VN_TABLE),
        ("xlsx", files.xlsx_bytes, 2, files.VN_TABLE),
        ("pptx", files.pptx_bytes, 2, files.VN_TABLE),
        ("odt", files.odt_bytes, None, "Thông báo"),
    ],
)
def test_office_files_give_their_vietnamese_text(tmp_path, ext, build, pages, also) -> None:
    result = _read(tmp_path, f"a.{ext}", build(), ext)
    assert result.status == "done"
    assert result.pages == pages
    assert files.VN in result.text
    assert also in result.text  # tables and headings too, not only the body's paragraphs
    assert not result.truncated


def test_folded_text_keeps_positions_and_matches_the_search_folding() -> None:
    text = "Kế hoạch\tĐẦU TƯ\n\ncông – Sở"
    folded = fold_aligned(text)
    assert len(folded) == len(text)
    assert folded == "ke hoach dau tu  cong – so"
    assert " ".join(folded.split()) == fold(text)


@pytest.mark.django_db
def test_upload_reads_a_pdf_in_the_background_folded_for_search(upload) -> None:
    document = upload("Kế hoạch.pdf", files.vietnamese_pdf(files.VN, "Trang hai: Đường"))
    row = VersionText.objects.get(version=document.current)
    assert row.status == VersionText.Status.DONE
    assert row.pages == 2
    assert files.VN in row.text
    assert FOLDED_VN in row.folded
    assert "duong" in row.folded
    assert row.seconds is not None and row.extracted_at is not None


@pytest.mark.django_db
def test_a_scanned_pdf_without_a_text_layer_is_no_text(upload) -> None:
    document = upload("Bản quét.pdf", files.ascii_pdf(["", ""]))
    row = document.current.text
    assert (row.status, row.pages, row.text) == ("no_text", 2, "")


@pytest.mark.django_db
def test_an_encrypted_pdf_is_marked_not_read(upload) -> None:
    document = upload("Mật.pdf", files.encrypted_pdf())
    row = document.current.text
    assert row.status == VersionText.Status.ENCRYPTED
    assert row.text == ""


@pytest.mark.django_db
def test_a_pdf_only_protected_against_copying_is_read(upload) -> None:
    document = upload("Chỉ đọc.pdf", files.encrypted_pdf(password=""))
    assert document.current.text.status == VersionText.Status.DONE
    assert "Secret plan" in document.current.text.text


@pytest.mark.django_db
def test_a_damaged_file_fails_cleanly_and_the_task_returns(upload) -> None:
    # Sniffed as a PDF at upload (it starts like one), unreadable after.
    document = upload("Hỏng.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 100)
    row = document.current.text
    assert row.status == VersionText.Status.FAILED
    assert row.error and "/tmp" not in row.error
    # The worker's entry point returns a value rather than raising.
    assert extract_version(document.current_id) == "failed"


@pytest.mark.django_db
def test_a_thousand_page_pdf_is_read_up_to_the_page_cap(upload) -> None:
    with override_settings(DOCTEXT_MAX_PAGES=300):
        document = upload("Dài.pdf", files.ascii_pdf([f"Page {i}" for i in range(1000)]))
    row = document.current.text
    assert row.status == VersionText.Status.DONE
    assert row.pages == 1000 and row.truncated
    assert "Page 299" in row.text and "Page 300" not in row.text


@pytest.mark.django_db
def test_a_character_cap_cuts_the_text_and_says_so(upload) -> None:
    with override_settings(DOCTEXT_MAX_CHARS=500):
        document = upload("Dài.pdf", files.ascii_pdf([f"Page {i}" for i in range(200)]))
    row = document.current.text
    assert len(row.text) == 500 and row.truncated


@pytest.mark.django_db
def test_a_hanging_extraction_is_stopped_by_the_clock(upload) -> None:
    with override_settings(DOCTEXT_TIMEOUT_SECONDS=0.05):
        document = upload("Dài.pdf", files.ascii_pdf([f"Page {i}" for i in range(1000)]))
    row = document.current.text
    assert (row.status, row.error) == ("failed", "timeout")


@pytest.mark.django_db
def test_a_zip_bomb_declaring_its_size_is_refused_unread(upload, settings) -> None:
    # The viewer's conversion is not what is tested here: LibreOffice laying out the bomb's
    # thousands of pages runs until its own time limit (viewer.conversion), minutes.
    settings.VIEWER_SOFFICE = "/nonexistent/soffice"
    bomb = files.docx_bomb(40 * 1024 * 1024)
    document = upload("Bom.docx", bomb)  # accepted at upload: under the 1 GB declared limit
    with override_settings(DOCUMENT_MAX_INFLATED_BYTES=20 * 1024 * 1024):
        extract_version(document.current_id)
    row = VersionText.objects.get(version=document.current)
    assert row.status == VersionText.Status.TOO_LARGE


@pytest.mark.django_db
def test_a_zip_bomb_within_the_declared_limit_meets_the_memory_limit(upload, settings) -> None:
    settings.VIEWER_SOFFICE = "/nonexistent/soffice"  # as above: not the viewer's conversion
    with override_settings(DOCTEXT_MEMORY_BYTES=300 * 1024 * 1024):
        document = upload("Bom.docx", files.docx_bomb(150 * 1024 * 1024))
    row = document.current.text
    assert row.status == VersionText.Status.FAILED
    assert row.text == ""


@pytest.mark.django_db
def test_a_legacy_office_file_has_no_text_for_us(upload) -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    document = upload("Cũ.doc", ole2)
    assert document.current.text.status == VersionText.Status.UNSUPPORTED


@pytest.mark.django_db
def test_the_command_queues_versions_never_read(meetings) -> None:
    # The fixture's documents were uploaded without running the queue: pending rows.
    version = meetings["document"].current
    assert version.text.status == VersionText.Status.PENDING
    call_command("extract_texts", "--now", stdout=open("/dev/null", "w"))  # noqa: SIM115
    version.text.refresh_from_db()
    assert version.text.status == VersionText.Status.DONE
    assert version.text.pages == 1
