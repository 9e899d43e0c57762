"""A big pack is built in flat memory: 8 documents of 12 scanned pages of 1 MB each (96 MB of
images) grow the worker's peak resident memory by far less than the pack's size (documents'
test_memory measures the same way)."""

import gc
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import document_add
from documents.tests.test_memory import Sampler, rss
from meetings.tests.factories import make_meeting, publish
from packs.models import Pack
from packs.services import pack_build, pack_request

from .bigpdf import write_scanned_pdf

DOCUMENTS = 8
PAGES = 12
IMAGE = 1024 * 1024
LIMIT = 40 * 1024 * 1024


def test_a_96_mb_pack_in_flat_memory(role_users, department) -> None:
    clerk = role_users["clerk"]
    meeting = make_meeting(by=clerk, units=[department])
    publish(meeting, clerk)
    with tempfile.TemporaryDirectory() as folder:
        for n in range(DOCUMENTS):
            path = Path(folder) / f"{n}.pdf"
            write_scanned_pdf(path, PAGES, IMAGE, f"Tai lieu {n}")
            uploaded = SimpleUploadedFile(f"Tài liệu {n}.pdf", path.read_bytes())
            document_add(meeting=meeting, by=clerk, uploaded=uploaded)
            del uploaded
    pack = pack_request(meeting=meeting, user=role_users["member"])
    gc.collect()
    sampler = Sampler()
    before = rss()
    sampler.start()
    try:
        built = pack_build(pack_id=pack.pk)
    finally:
        sampler.running = False
        sampler.join()
    assert built is not None and built.status == Pack.Status.DONE, built and built.error
    assert built.pages == 2 + DOCUMENTS * PAGES
    assert built.size is not None and built.size > DOCUMENTS * PAGES * IMAGE
    growth = max(sampler.peak, rss()) - before
    print(
        f"pack {built.size / 2**20:.0f} MB, {built.pages} pages: peak RSS +{growth / 2**20:.1f} MB"
    )
    assert growth < LIMIT, f"peak memory grew by {growth / 2**20:.1f} MB"
