"""The archive is complete enough to file (D1): beside the documents and the comments, every
record of the meeting as PDF/A (the invitation, the roll, each closed vote, the comments' summary,
the approved minutes, the conclusion notice and how each of its tasks ended), the signed minutes
and notice exactly as signed, the units' task reports as sent; and an index, workbook and CSV,
naming each file with its kind, its date and its SHA-256."""

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Unit, User
from accounts.tests.factories import UserFactory
from core.testing.documents import pdf_lines
from exports import services
from exports.archive import archive_stream, build_archive
from meetings import archiving
from meetings.archiving import Record
from minutes import services as minutes_services
from tasks.models import TaskFile
from tasks.tests.conftest import make_notice

from .conftest import COMMENT, RETURN_REASON, TASK_TITLES

PURPOSE = "Nộp lưu hồ sơ họp về Lưu trữ lịch sử tỉnh."
INDEXES = {"muc-luc.xlsx", "muc-luc.csv"}
INDEX_HEADER = [
    "Mã cuộc họp",
    "Đường dẫn trong tệp nén",
    "Loại",
    "Ngày",
    "Dung lượng (byte)",
    "SHA-256",
]
# What a meeting's folder holds besides its documents and comments (under ho-so/).
RECORDS = {
    "invitation": "Giấy mời.pdf",
    "roll": "Điểm danh thành phần dự họp.pdf",
    "vote": "Kết quả biểu quyết 1 - Thông qua kế hoạch đầu tư công.pdf",
    "comments": "Tổng hợp ý kiến góp ý.pdf",
    "minutes": "Biên bản 12-BB-VPUBND.pdf",
    "signed_minutes": "Biên bản 12-BB-VPUBND - bản ký số.pdf",
    "notice": "Thông báo kết luận 125-TB-VPUBND.pdf",
    "signed_notice": "Thông báo kết luận 125-TB-VPUBND - bản ký số.pdf",
    "tasks": "Tình hình thực hiện nhiệm vụ - Thông báo 125-TB-VPUBND.pdf",
    "task_report": "bao-cao-nhiem-vu/Báo cáo kết quả rà soát.pdf",
}
RENDERED = ["invitation", "roll", "vote", "comments", "minutes", "notice", "tasks"]


def _approved(requester: User, approver: User, span) -> object:
    export = services.export_request(
        by=requester, date_from=span[0], date_to=span[1], purpose=PURPOSE
    )
    services.export_approve(export=export, by=approver)
    return export


def _zip_of(export) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(archive_stream(build_archive(export)))))


def _records(archive: zipfile.ZipFile) -> dict[str, str]:
    """The files under a meeting's ho-so/ folder, by their name there."""
    return {name.split("/ho-so/", 1)[1]: name for name in archive.namelist() if "/ho-so/" in name}


def _text(pdf: bytes) -> str:
    return " ".join(pdf_lines(pdf))


def _pdfa(pdf: bytes) -> str:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return str(document.open_metadata().pdfa_status)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def downloaded(filed, client_for, role_users, span) -> zipfile.ZipFile:
    """The office's clerk asks for the archive, the admin approves, the clerk downloads."""
    export = _approved(role_users["clerk"], role_users["admin"], span)
    response = client_for("clerk").get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    return archive


def test_every_record_of_the_meeting_is_filed_as_pdf_beside_the_originals(
    filed, downloaded
) -> None:
    records = _records(downloaded)
    assert set(records) == set(RECORDS.values())
    pdfs = {key: downloaded.read(records[name]) for key, name in RECORDS.items()}

    # Each record as PDF/A-2b, in Vietnamese.
    for key in RENDERED:
        assert _pdfa(pdfs[key]) == "2B", key
    meeting = filed["meeting"]
    expected = {
        "invitation": ["GIẤY MỜI", meeting.title],
        "roll": ["ĐIỂM DANH", "Sở Xây dựng", "Đi công tác Hà Nội", "Lê Thị Dự Thay"],
        "vote": ["KẾT QUẢ BIỂU QUYẾT", "Thông qua kế hoạch đầu tư công"],
        "comments": [
            "TỔNG HỢP Ý KIẾN GÓP Ý",
            "Các đơn vị thống nhất với dự thảo kế hoạch.",
            COMMENT,
        ],
        "minutes": ["BIÊN BẢN", "12/BB-VPUBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        "notice": ["THÔNG BÁO", "125/TB-VPUBND", "Ủy ban nhân dân tỉnh kết luận như sau."],
        "tasks": ["TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", "125/TB-VPUBND", "thông qua kế hoạch đầu tư"],
    }
    for key, phrases in expected.items():
        text = _text(pdfs[key])
        for phrase in phrases:
            assert phrase in text, (key, phrase)

    # How each task ended, read in the part of the tasks' PDF that follows its title.
    text = _text(pdfs["tasks"])
    order = sorted(TASK_TITLES, key=lambda key: text.index(TASK_TITLES[key]))
    parts = {
        key: text[text.index(TASK_TITLES[key]) : text.index(TASK_TITLES[after])]
        if after
        else text[text.index(TASK_TITLES[key]) :]
        for key, after in zip(order, [*order[1:], None], strict=True)
    }
    assert "Hoàn thành đúng hạn" in parts["on_time"]
    assert "Báo cáo kết quả rà soát.pdf" in parts["on_time"]
    assert "Hoàn thành trễ hạn" in parts["late"]
    assert "Trả lại" in parts["returned"] and RETURN_REASON in parts["returned"]
    assert "Chờ xác nhận" in parts["waiting"]
    assert "Quá hạn 3 ngày" in parts["overdue"]

    # The originals, byte for byte: the signed minutes and notice, the unit's report.
    for key in ("signed_minutes", "signed_notice"):
        with filed[key].file.open("rb") as handle:
            assert pdfs[key] == handle.read(), key
    report = TaskFile.objects.get(step__task=filed["tasks"]["on_time"])
    with report.file.open("rb") as handle:
        assert pdfs["task_report"] == handle.read()


def test_the_index_lists_every_file_with_its_kind_date_and_checksum(filed, downloaded) -> None:
    names = set(downloaded.namelist())
    assert names >= INDEXES
    book = load_workbook(io.BytesIO(downloaded.read("muc-luc.xlsx")))
    sheet = [list(row) for row in book["Tệp"].iter_rows(values_only=True)]
    assert sheet[0] == INDEX_HEADER
    rows = {row[1]: row for row in sheet[1:]}
    assert set(rows) == names - INDEXES
    meeting = filed["meeting"]
    for name, (meeting_id, _path, kind, day, size, sha256) in rows.items():
        data = downloaded.read(name)
        assert meeting_id == meeting.pk
        assert kind and day, name
        assert (size, sha256) == (len(data), hashlib.sha256(data).hexdigest()), name

    records = _records(downloaded)
    vote = filed["vote"]
    vote.refresh_from_db()
    expected = {
        "signed_minutes": (
            "Biên bản họp – bản ký số (bản gốc)",
            _local(filed["signed_minutes"].signed_at),
        ),
        "minutes": ("Biên bản họp đã phê duyệt", _local(filed["minutes"].approved_at)),
        "vote": ("Kết quả biểu quyết", _local(vote.closed_at)),
        "notice": ("Thông báo kết luận", filed["notice"].issued_on.strftime("%d/%m/%Y")),
        "signed_notice": (
            "Thông báo kết luận – bản ký số (bản gốc)",
            _local(filed["signed_notice"].signed_at),
        ),
    }
    for key, (kind, day) in expected.items():
        assert rows[records[RECORDS[key]]][2:4] == [kind, day], key

    # The CSV says the same, for tools that do not read Excel.
    text = downloaded.read("muc-luc.csv").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == INDEX_HEADER
    assert table[1:] == [[str(value) for value in row] for row in sheet[1:]]


def test_records_the_requester_may_not_read_are_left_out(filed, role_users, span) -> None:
    """A clerk of an invited department: no roll, no comments' summary (the office's), no tasks of
    other units; the invitation, the vote, the minutes and the notice are the invitees'."""
    builders = Unit.objects.get(code="SXD")
    clerk = UserFactory(username="clerk-sxd", role=User.Role.CLERK, unit=builders)
    archive = _zip_of(_approved(clerk, role_users["admin"], span))
    assert set(_records(archive)) == {
        RECORDS[key]
        for key in ("invitation", "vote", "minutes", "signed_minutes", "notice", "signed_notice")
    }


def test_drafts_are_not_filed(meetings, role_users, span) -> None:
    published = meetings["published"]
    minutes_services.minutes_start(meeting=published, by=role_users["secretary"])
    make_notice(published, role_users["clerk"], [], issue=False)
    archive = _zip_of(_approved(role_users["clerk"], role_users["admin"], span))
    assert not any(
        name.startswith(("Biên bản", "Thông báo", "Tình hình")) for name in _records(archive)
    )


@pytest.fixture
def counted() -> Iterator[list[int]]:
    """A record kind whose PDF counts how many times it was made."""
    made: list[int] = []

    def render(meeting_id: int) -> bytes:
        made.append(meeting_id)
        return b"%PDF-1.7 " + str(meeting_id).encode()

    def lister(meetings, user):
        for meeting in meetings:
            yield Record(
                meeting_id=meeting.pk,
                name="Bản đếm.pdf",
                kind="Bản đếm",
                dated=meeting.start_at,
                render=lambda pk=meeting.pk: render(pk),
            )

    archiving.register("counted", lister, order=99)
    yield made
    archiving.unregister("counted")


def test_records_are_made_only_when_the_zip_reaches_them(
    counted, meetings, role_users, span
) -> None:
    archive = build_archive(_approved(role_users["clerk"], role_users["admin"], span))
    stream = archive_stream(archive)
    assert counted == []
    content = b"".join(stream)
    assert counted == [meetings["published"].pk]
    index = zipfile.ZipFile(io.BytesIO(content)).read("muc-luc.csv").decode("utf-8-sig")
    digest = hashlib.sha256(b"%PDF-1.7 " + str(meetings["published"].pk).encode()).hexdigest()
    assert "ho-so/Bản đếm.pdf,Bản đếm," in index and digest in index
