"""Runs LibreOffice headless to turn one stored file into a PDF (B2).

Each run gets a temporary folder holding a generated source name (never what the user called the
file), an output folder and a private LibreOffice profile (-env:UserInstallation), so runs in
parallel do not share a profile's lock and a broken profile never outlives one run. The process
group is killed when the run passes its time limit: soffice is a script that starts soffice.bin,
and killing the script alone would leave the converter running.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

from documents.filetypes import ALLOWED_EXTENSIONS, extension

log = logging.getLogger(__name__)

# The families LibreOffice reads; a PDF needs no conversion and a ZIP is not a document.
CONVERTIBLE_FAMILIES = frozenset({"word", "excel", "powerpoint", "opendocument", "image"})
DEFAULT_TIMEOUT_SECONDS = 180
DEFAULT_MAX_BYTES = 100 * 1024 * 1024


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def soffice() -> str | None:
    """The LibreOffice program's path, or None when this server has none."""
    return shutil.which(getattr(settings, "VIEWER_SOFFICE", "soffice") or "soffice")


def is_pdf(content_type: str, original_name: str) -> bool:
    return content_type == "application/pdf" or extension(original_name) == "pdf"


def convertible(original_name: str) -> bool:
    return ALLOWED_EXTENSIONS.get(extension(original_name), "") in CONVERTIBLE_FAMILIES


@dataclass
class Outcome:
    status: str  # "done", "failed" or "unavailable" (Rendition.Status values)
    pdf: Path | None = None
    error: str = ""
    seconds: float = 0.0


def _tail(output: bytes) -> str:
    lines = output.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:200] if lines else ""


def run_soffice(program: str, source: Path, folder: Path) -> Outcome:
    """Converts `source` (a file in `folder`) into folder/out/<stem>.pdf."""
    out = folder / "out"
    out.mkdir()
    profile = folder / "profile"
    command = [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(source),
    ]
    # HOME and TMPDIR inside the run's folder: nothing is written in the service account's home.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "TMPDIR": str(folder),
        "LANG": "C.UTF-8",
    }
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - a fixed program and generated paths, no shell
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=folder,
        env=env,
        start_new_session=True,
    )
    timeout = setting("VIEWER_CONVERT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return Outcome(
            status="failed", error=f"timeout after {timeout} s", seconds=time.monotonic() - started
        )
    seconds = time.monotonic() - started
    pdf = out / (source.stem + ".pdf")
    if process.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        detail = _tail(stderr) or _tail(stdout) or "no PDF written"
        return Outcome(
            status="failed", error=f"exit {process.returncode}: {detail}", seconds=seconds
        )
    return Outcome(status="done", pdf=pdf, seconds=seconds)


def convert_file(source_file: IO[bytes], original_name: str, folder: Path) -> Outcome:
    """Copies the open stored file into `folder` under a generated name (at most the size limit)
    and converts it."""
    program = soffice()
    if program is None:
        return Outcome(status="unavailable", error="LibreOffice (soffice) not found")
    if not convertible(original_name):
        return Outcome(status="unavailable", error="not a convertible kind")
    limit = setting("VIEWER_CONVERT_MAX_BYTES", DEFAULT_MAX_BYTES)
    source = folder / f"source.{extension(original_name)}"
    copied = 0
    with open(source, "wb") as target:
        while chunk := source_file.read(1024 * 1024):
            copied += len(chunk)
            if copied > limit:
                return Outcome(status="failed", error=f"larger than {limit} bytes")
            target.write(chunk)
    return run_soffice(program, source, folder)


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="viewer-convert-")
