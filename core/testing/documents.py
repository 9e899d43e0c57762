"""Reading back the documents the product issues (PDF, and Word as LibreOffice prints it), for
tests that check the layout of Decree 30/2020/NĐ-CP on the extracted text."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from pypdf import PdfReader

REPUBLIC = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def keep(name: str, content: bytes) -> None:
    """A copy under test-output/documents/ to look at (pages rendered with pdftoppm)."""
    folder = Path(settings.BASE_DIR) / "test-output" / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)


def pdf_lines(pdf: bytes) -> list[str]:
    """The text lines of every page, spaces squeezed."""
    return [
        " ".join(line.split())
        for page in PdfReader(io.BytesIO(pdf)).pages
        for line in page.extract_text().splitlines()
    ]


def soffice() -> str | None:
    return shutil.which("soffice")


def printed_docx(docx: bytes) -> bytes:
    """The Word file as LibreOffice prints it to PDF."""
    program = soffice()
    assert program is not None, "LibreOffice is not installed"
    with tempfile.TemporaryDirectory(prefix="docx-print-") as name:
        folder = Path(name)
        (folder / "document.docx").write_bytes(docx)
        subprocess.run(  # noqa: S603 - a fixed program and generated paths, no shell
            [
                program,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(folder / "document.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            cwd=folder,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": name, "LANG": "C.UTF-8"},
        )
        return (folder / "document.pdf").read_bytes()


def assert_decree_header(lines: list[str], governing_body: str, unit: str) -> None:
    """The emblem lines each whole on one line (a line may hold the left column's text beside
    it), the governing body on a line above the issuing unit's."""
    head = lines[:12]
    assert any(REPUBLIC in line for line in head), head
    assert any(MOTTO in line for line in head), head
    above = next(i for i, line in enumerate(head) if governing_body in line)
    below = next(i for i, line in enumerate(head) if unit in line)
    assert above < below, head
