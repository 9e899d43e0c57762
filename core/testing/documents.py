"""Reading back the documents the product issues (PDF, and Word as LibreOffice prints it), for
tests that check the layout of Decree 30/2020/NĐ-CP on the extracted text."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
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


def needs_soffice() -> str:
    """LibreOffice's program. Without it a test is skipped, or fails under CI=true, where
    `make test` has installed it."""
    program = soffice()
    if program is None:
        reason = "LibreOffice (soffice) is not installed"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return program


def soffice_convert(files: dict[str, bytes], target: str = "pdf") -> dict[str, bytes]:
    """Every file converted in one LibreOffice run (starting it costs seconds, a file a fraction
    of one), as the viewer runs it (viewer/convert.py: a private profile, HOME in the run's
    folder). The answer maps each file's name to what LibreOffice wrote for it; a file it could
    not open is missing. `target` is LibreOffice's --convert-to, e.g. "pdf" or "png" (a PDF's
    first page)."""
    program = needs_soffice()
    stems = [Path(name).stem for name in files]
    assert len(set(stems)) == len(stems), f"two files would give the same output: {stems}"
    extension = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="soffice-convert-") as name:
        folder = Path(name)
        (folder / "in").mkdir()
        for filename, content in files.items():
            (folder / "in" / filename).write_bytes(content)
        subprocess.run(  # noqa: S603 - a fixed program and generated paths, no shell
            [
                program,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(folder / "out"),
                *(str(folder / "in" / filename) for filename in files),
            ],
            check=True,
            capture_output=True,
            timeout=180 + 20 * len(files),
            cwd=folder,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": name, "LANG": "C.UTF-8"},
        )
        written = {
            filename: folder / "out" / f"{Path(filename).stem}.{extension}" for filename in files
        }
        return {f: path.read_bytes() for f, path in written.items() if path.is_file()}


def printed_docx(docx: bytes) -> bytes:
    """The Word file as LibreOffice prints it to PDF."""
    printed = soffice_convert({"document.docx": docx})
    assert "document.docx" in printed, "LibreOffice wrote no PDF"
    return printed["document.docx"]


# An A4 page at 150 dpi: sharp enough to read a letterhead's lines.
PNG_A4 = (
    'png:draw_png_Export:{"PixelWidth":{"type":"long","value":"1240"},'
    '"PixelHeight":{"type":"long","value":"1754"}}'
)


def screenshot_pdf(pdf: bytes, name: str) -> Path:
    """The PDF's first page as test-output/screenshots/<name>.png, to be looked at beside the
    browser tests' screenshots (LibreOffice Draw opens the PDF and exports the page)."""
    folder = Path(settings.BASE_DIR) / "test-output" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    png = soffice_convert({f"{name}.pdf": pdf}, PNG_A4).get(f"{name}.pdf")
    assert png, "LibreOffice drew no page"
    path = folder / f"{name}.png"
    path.write_bytes(png)
    return path


def assert_decree_header(lines: list[str], governing_body: str, unit: str) -> None:
    """The emblem lines each whole on one line (a line may hold the left column's text beside
    it), the governing body on a line above the issuing unit's."""
    head = lines[:12]
    assert any(REPUBLIC in line for line in head), head
    assert any(MOTTO in line for line in head), head
    above = next(i for i, line in enumerate(head) if governing_body in line)
    below = next(i for i, line in enumerate(head) if unit in line)
    assert above < below, head
