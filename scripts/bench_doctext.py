"""Benchmark of text extraction (B3), run by `make bench`; not a test.

Builds a 200-page Vietnamese PDF (WeasyPrint, about 2 500 characters a page) and a large .docx
(5 000 paragraphs with a table), then reads each as the worker does: in a child process with its
memory, CPU and time limits (doctext.runner.run), and, for comparison, in this process. Prints
pages (or paragraphs) per second and characters per second, best of a few runs.

    .venv/bin/python scripts/bench_doctext.py
"""

import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
BASE = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", 3))
PAGES = int(os.environ.get("BENCH_PDF_PAGES", 200))
PARAGRAPHS = int(os.environ.get("BENCH_DOCX_PARAGRAPHS", 5000))

SENTENCE = (
    "Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư rà soát "
    "kế hoạch đầu tư công trung hạn, bảo đảm đúng quy định của Luật Đầu tư công. "
)


def build_pdf() -> bytes:
    import weasyprint

    page = SENTENCE * 14  # about 2 500 characters
    html = "".join(
        f'<p style="page-break-before:always">Trang {i}. {page}</p>' for i in range(PAGES)
    )
    return weasyprint.HTML(string=html).write_pdf()


def build_docx() -> bytes:
    import io

    import docx

    document = docx.Document()
    for i in range(PARAGRAPHS):
        document.add_paragraph(f"Điều {i}. {SENTENCE}")
    table = document.add_table(rows=200, cols=4)
    for row in table.rows:
        for cell in row.cells:
            cell.text = "Đường giao thông nông thôn"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cpu() -> float:
    """CPU seconds of this process and its finished children: on a busy machine the wall clock
    measures the neighbours too."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best(action: Callable[[], T]) -> tuple[float, float, T]:
    """Best wall-clock and best CPU seconds over the runs, and the last result."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(RUNS):
        began, began_cpu = time.perf_counter(), _cpu()
        result = action()
        walls.append(time.perf_counter() - began)
        cpus.append(_cpu() - began_cpu)
    return min(walls), min(cpus), result


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(BASE))
    import django

    django.setup()
    from doctext.extract import extract
    from doctext.runner import run

    folder = Path(tempfile.mkdtemp(prefix="bench-doctext-"))
    began = time.perf_counter()
    pdf = folder / "report.pdf"
    pdf.write_bytes(build_pdf())
    docx_path = folder / "large.docx"
    docx_path.write_bytes(build_docx())
    built = time.perf_counter() - began
    print(
        f"Built the files in {built:.1f} s: PDF {pdf.stat().st_size // 1024} kB, "
        f"DOCX {docx_path.stat().st_size // 1024} kB"
    )
    for label, path, ext, units, unit in (
        (f"PDF, {PAGES} pages", pdf, "pdf", PAGES, "pages"),
        (f"DOCX, {PARAGRAPHS} paragraphs", docx_path, "docx", PARAGRAPHS, "paragraphs"),
    ):
        wall, cpu, outcome = best(lambda: run(str(path), ext))  # noqa: B023 - called at once
        chars = len(outcome.text)
        status = outcome.status
        print(
            f"{label}, child process with limits: {wall:.2f} s wall, {cpu:.2f} s CPU: "
            f"{units / wall:.0f} {unit}/s wall, {units / cpu:.0f} {unit}/s per CPU second, "
            f"{chars / cpu / 1000:.0f} k characters per CPU second ({status}, {chars} characters)"
        )
        wall, cpu, _ = best(lambda: extract(str(path), ext, 10_000, 2_000_000))  # noqa: B023
        print(
            f"{label}, in this process: {wall:.2f} s wall, {cpu:.2f} s CPU: "
            f"{units / cpu:.0f} {unit}/s per CPU second"
        )
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
