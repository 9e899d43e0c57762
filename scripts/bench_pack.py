"""Benchmark of the meeting pack, run by `make bench`; not a test.

Builds a meeting's pack of 20 documents and 600 pages as the worker does (packs.build.build_pack:
the cover and agenda by WeasyPrint, the pages merged by qpdf, bookmarks and "Trang x/y"): 10
scanned documents (an incompressible 250 kB image on each of their 30 pages) and 10 text documents
(Vietnamese text by WeasyPrint, 30 pages each). The documents are written first; each build then
runs in a child process of its own, which reports its wall and CPU seconds, its resident memory
before the build and its peak (getrusage's ru_maxrss), best and p50 of BENCH_RUNS runs.

    .venv/bin/python scripts/bench_pack.py
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", 3))
DOCUMENTS = int(os.environ.get("BENCH_PACK_DOCUMENTS", 20))
PAGES = int(os.environ.get("BENCH_PACK_PAGES", 600))
IMAGE = int(os.environ.get("BENCH_PACK_IMAGE_BYTES", 250 * 1024))

SENTENCE = (
    "Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư rà soát "
    "kế hoạch đầu tư công trung hạn, bảo đảm đúng quy định của Luật Đầu tư công. "
)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(BASE))
    import django

    django.setup()


def write_documents(folder: Path) -> list[tuple[str, int]]:
    """(file name, pages) of each document, half scanned, half text."""
    import weasyprint

    from packs.tests.bigpdf import write_scanned_pdf

    each = PAGES // DOCUMENTS
    made = []
    for n in range(DOCUMENTS):
        name = f"{n:02d}.pdf"
        if n % 2 == 0:
            write_scanned_pdf(folder / name, each, IMAGE, f"Van ban scan {n}")
        else:
            html = "".join(
                f'<p style="page-break-before:always">Tài liệu {n}, trang {i + 1}. '
                f"{SENTENCE * 12}</p>"
                for i in range(each)
            )
            (folder / name).write_bytes(weasyprint.HTML(string=html).write_pdf())
        made.append((name, each))
    return made


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def build_once(folder: Path) -> None:
    """In the child: the pack of the documents in `folder`, figures printed as JSON."""
    import resource
    import time
    from datetime import datetime
    from zoneinfo import ZoneInfo

    _setup()
    from django.core.files.storage import FileSystemStorage

    from accounts.models import Unit
    from documents.models import Document
    from meetings.models import Meeting
    from packs.build import build_pack
    from packs.plan import Entry, Plan, Section

    storage = FileSystemStorage(location=str(folder))
    files = sorted(p.name for p in folder.glob("*.pdf"))
    meeting = Meeting(
        title="Kỳ họp thứ mười hai Hội đồng nhân dân tỉnh khoá XVII",
        start_at=datetime(2026, 12, 9, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        organiser_unit=Unit(name="Văn phòng Đoàn ĐBQH và HĐND tỉnh"),
    )
    sections = []
    for item in range(5):
        entries = []
        for name in files[item * len(files) // 5 : (item + 1) * len(files) // 5]:
            document = Document(title=f"Tờ trình, báo cáo số {name[:2]}/TTr-UBND")
            entries.append(Entry(document, (storage, name, storage.size(name))))
        sections.append(Section(f"{item + 1}. Nội dung thứ {item + 1} của kỳ họp", entries))
    plan = Plan(meeting, None, sections, "bench")
    # What a worker holds before its first pack: Django, WeasyPrint's fonts, pikepdf.
    import weasyprint

    weasyprint.HTML(string="<p>Khởi động</p>").write_pdf()
    before = rss_mb()
    began_cpu = time.process_time()
    began = time.perf_counter()
    output, pages = build_pack(plan)
    wall = time.perf_counter() - began
    cpu = time.process_time() - began_cpu
    size = output.seek(0, 2)
    output.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"wall": wall, "cpu": cpu, "pages": pages, "size": size, "before": before, "peak": peak}
        )
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        build_once(Path(sys.argv[2]))
        return
    _setup()
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as name:
        folder = Path(name)
        made = write_documents(folder)
        total = sum(p.stat().st_size for p in folder.glob("*.pdf"))
        print(
            f"{len(made)} documents, {sum(pages for _, pages in made)} pages, "
            f"{total / 2**20:.0f} MB in all"
        )
        runs = []
        for _ in range(RUNS):
            child = subprocess.run(  # noqa: S603 - this script, a generated folder
                [sys.executable, __file__, "--build", str(folder)],
                check=True,
                capture_output=True,
                text=True,
                cwd=BASE,
            )
            runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
        last = runs[-1]
        walls = [r["wall"] for r in runs]
        cpus = [r["cpu"] for r in runs]
        growth = [r["peak"] - r["before"] for r in runs]
        print(
            f"Pack: {last['pages']} pages, {last['size'] / 2**20:.0f} MB; "
            f"wall best {min(walls):.1f} s, p50 {statistics.median(walls):.1f} s; "
            f"CPU best {min(cpus):.1f} s; resident memory {last['before']:.0f} MB before, "
            f"peak {max(r['peak'] for r in runs):.0f} MB "
            f"(+{max(growth):.0f} MB at most) over {RUNS} runs"
        )


if __name__ == "__main__":
    main()
