"""Starts doctext.extract in a child process with limits (B3): the worker that calls this keeps
running whatever the file does to the child (too much memory, too much CPU, a hang)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from django.conf import settings

from documents.filetypes import TooLarge, extension, sniff
from documents.models import DocumentVersion

from .extract import READERS

log = logging.getLogger(__name__)

# A 200-page report is a few hundred kB of text; 2 million characters is a book.
DEFAULT_MAX_CHARS = 2_000_000
DEFAULT_MAX_PAGES = 2_000
DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024
DEFAULT_CPU_SECONDS = 120
# The CPU limit governs; the clock only catches a child that waits instead of working. Under
# the task queue's own timeout (900 s).
DEFAULT_TIMEOUT_SECONDS = 600


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass
class Outcome:
    status: str
    pages: int | None = None
    text: str = ""
    truncated: bool = False
    error: str = ""


def _kind(version: DocumentVersion) -> str:
    ext = extension(version.original_name)
    return "pdf" if version.content_type == "application/pdf" else ext


def run(path: str, ext: str) -> Outcome:
    """The child's answer for a file on the local disk."""
    command = [
        sys.executable,
        "-m",
        "doctext.extract",
        path,
        ext,
        str(limit("DOCTEXT_MAX_PAGES", DEFAULT_MAX_PAGES)),
        str(limit("DOCTEXT_MAX_CHARS", DEFAULT_MAX_CHARS)),
        str(limit("DOCTEXT_MEMORY_BYTES", DEFAULT_MEMORY_BYTES)),
        str(limit("DOCTEXT_CPU_SECONDS", DEFAULT_CPU_SECONDS)),
    ]
    env = {**os.environ, "PYTHONPATH": str(settings.BASE_DIR)}
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            capture_output=True,
            timeout=limit("DOCTEXT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS),
            cwd=settings.BASE_DIR,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(status="failed", error="timeout")
    if done.returncode != 0:
        # Killed for CPU (SIGXCPU), out of memory in C code, or a crash in a parser.
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return Outcome(status="failed", error=f"exit {done.returncode}: {tail[0]}"[:300])
    try:
        data = json.loads(done.stdout)
    except ValueError:
        return Outcome(status="failed", error="bad output")
    return Outcome(
        status=data["status"],
        pages=data["pages"],
        text=data["text"],
        truncated=data["truncated"],
        error=data["error"],
    )


def extract_version_file(version: DocumentVersion) -> Outcome:
    """Copies the stored file (local disk or S3) to a temporary file, checks a ZIP's declared size
    as the upload did, and reads it in a child process."""
    ext = _kind(version)
    if ext not in READERS:
        return Outcome(status="unsupported")
    with tempfile.TemporaryDirectory(prefix="doctext-") as folder:
        path = os.path.join(folder, f"file.{ext}")
        with version.file.open("rb") as source, open(path, "wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        if ext != "pdf" and ext != "txt":
            try:
                with open(path, "rb") as handle:
                    sniff(handle)
            except TooLarge:
                return Outcome(status="too_large", error="zip")
        return run(path, ext)
