"""The archive's records as PDF/A (exports, D1), drawn by pdf.js in Chromium so that the pictures
under test-output/screenshots/ show what the export tests read back as text: how each task of a
conclusion notice ended, the roll and the approved minutes."""

import io
import zipfile

import pytest
from PIL import Image

from browser_tests.conftest import DESKTOP
from browser_tests.pdf_pages import pdf_png
from exports import services
from exports.archive import archive_stream, build_archive
from exports.tests.conftest import (  # noqa: F401 (fixtures)
    chair,
    filed,
    held,
    key_dir,
    pki,
    span,
)

pytestmark = pytest.mark.browser

DRAWN = {
    "archive-tasks-progress": "Tình hình thực hiện nhiệm vụ - Thông báo 125-TB-VPUBND.pdf",
    "archive-roll": "Điểm danh thành phần dự họp.pdf",
    "archive-minutes": "Biên bản 12-BB-VPUBND.pdf",
}


def test_the_archives_pdfs_drawn(filed, role_users, span, new_context) -> None:  # noqa: F811
    export = services.export_request(
        by=role_users["clerk"], date_from=span[0], date_to=span[1], purpose="Nộp lưu hồ sơ họp."
    )
    services.export_approve(export=export, by=role_users["admin"])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(archive_stream(build_archive(export)))))
    records = {n.split("/ho-so/", 1)[1]: n for n in archive.namelist() if "/ho-so/" in n}
    context = new_context(**DESKTOP)
    for picture, name in DRAWN.items():
        path, pages = pdf_png(context, archive.read(records[name]), picture)
        assert pages >= 1, name
        # Drawn, not blank: black text on the white page.
        darkest, _lightest = Image.open(path).convert("L").getextrema()
        assert darkest < 60, name
