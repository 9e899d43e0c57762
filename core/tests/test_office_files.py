"""LibreOffice opens every Word and Excel file the product writes.

Each file is made through its real page (the URL a user clicks, with factory data), then all of
them go through one LibreOffice run (`soffice --convert-to pdf`, as the viewer calls it): starting
LibreOffice costs seconds, a file a fraction of one. A file LibreOffice cannot open writes no PDF.
Each PDF must have pages holding the Vietnamese the file was made with.

A new URL that answers a .docx or an .xlsx fails `test_every_office_file_is_opened` until it is
added to FILES below."""

import io
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from accounts.tests.factories import PersonFactory, UserFactory
from core.testing.documents import keep, soffice_convert
from exports import services as exports
from meetings.models import Meeting
from meetings.tests.factories import make_document, make_meeting, publish
from minutes import services as minutes
from notes.services import note_create
from opinions import services as opinions
from opinions.tests.conftest import make_request
from tasks.services import TaskData
from tasks.tests.conftest import make_notice

pytestmark = pytest.mark.django_db

TITLE = "Họp thông qua kế hoạch đầu tư công năm 2027"
OPINION = "Lấy ý kiến dự thảo Quy chế làm việc"
TASK = "Rà soát kế hoạch vốn đầu tư công"
PURPOSE = "Nộp lưu hồ sơ họp về Lưu trữ lịch sử tỉnh"


def _urls(resolver: URLResolver, namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((f"{namespace}{pattern.name}", str(pattern.pattern)))
    return found


def office_file_urls() -> set[str]:
    """The URL names that answer a Word or an Excel file (by their path or their name)."""
    return {
        name
        for name, route in _urls(get_resolver())
        if "docx" in route or "xlsx" in route or name.endswith(("_docx", "_xlsx"))
    }


@pytest.fixture
def world(role_users, department) -> dict[str, Any]:
    """A held meeting of the office with a chair, its approved minutes, a document with a note,
    a comment, a conclusion notice with a task; an opinion request answered; an approved
    archive export."""
    clerk, secretary = role_users["clerk"], role_users["secretary"]
    person = PersonFactory(full_name="Trần Văn Chủ Trì", position="Phó Chủ tịch", unit=clerk.unit)
    chair = UserFactory(
        username="chair1", role=User.Role.UNIT_LEADER, unit=clerk.unit, person=person
    )
    meeting = make_meeting(
        by=clerk, title=TITLE, units=[department], secretary=secretary, chair=person, days_ahead=2
    )
    publish(meeting, clerk)
    document = make_document(meeting, clerk, "Kế hoạch đầu tư.pdf")
    note_create(
        by=role_users["member"],
        document=document,
        page=1,
        kind="pin",
        rects=[[0.5, 0.5]],
        text="Đề nghị làm rõ nguồn vốn ngân sách",
    )
    comment = Client()
    comment.force_login(role_users["unit_leader"])
    comment.post(reverse("comments:list", args=[meeting.pk]), {"body": "Sở Tài chính thống nhất."})
    draft = minutes.minutes_start(meeting=meeting, by=secretary)
    minutes.minutes_approve(minutes=draft, by=chair, version=1, number="12/BB-VP", place="Tây Ninh")
    today = timezone.localdate()
    notice = make_notice(
        meeting,
        clerk,
        [TaskData(title=TASK, unit=department, deadline=today + timedelta(days=10))],
    )
    opinion = make_request(clerk, units=[department], title=OPINION)
    questions = list(opinion.questions.order_by("position"))
    opinions.answer_submit(
        recipient=opinion.recipients.get(),
        by=role_users["unit_leader"],
        given=[opinions.Given(question_id=q.pk, choice="agree") for q in questions],
    )
    export = exports.export_request(
        by=clerk, date_from=today, date_to=today + timedelta(days=30), purpose=PURPOSE
    )
    exports.export_approve(export=export, by=role_users["admin"])
    year = {"tu": f"01/01/{today.year}", "den": f"31/12/{today.year + 1}"}
    return {
        "meeting": Meeting.objects.get(pk=meeting.pk),
        "notice": notice,
        "opinion": opinion,
        "export": export,
        "year": year,
        "usage": {"nam": str(timezone.localtime(meeting.start_at).year), "ky": "ca-nam"},
    }


def _get(client: Client, url: str, params: dict[str, str] | None = None) -> bytes:
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def _archive_index(client: Client, url: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(_get(client, url))).read("muc-luc.xlsx")


# URL name -> (file name, how to fetch it, a phrase its printed pages hold).
Fetch = Callable[[Callable[[str], Client], dict[str, Any]], bytes]
FILES: dict[str, tuple[str, Fetch, str]] = {
    "meetings:invitation_docx": (
        "giay-moi.docx",
        lambda c, w: _get(c("clerk"), reverse("meetings:invitation_docx", args=[w["meeting"].pk])),
        "GIẤY MỜI",
    ),
    "minutes:export": (
        "bien-ban.docx",
        lambda c, w: _get(c("member"), reverse("minutes:export", args=[w["meeting"].pk, "docx"])),
        "BIÊN BẢN",
    ),
    "minutes:version_export": (
        "bien-ban-phien-ban-1.docx",
        lambda c, w: _get(
            c("secretary"), reverse("minutes:version_export", args=[w["meeting"].pk, 1, "docx"])
        ),
        "BIÊN BẢN",
    ),
    "tasks:notice_docx": (
        "thong-bao-ket-luan.docx",
        lambda c, w: _get(c("clerk"), reverse("tasks:notice_docx", args=[w["notice"].pk])),
        TASK,
    ),
    "comments:export_docx": (
        "tong-hop-y-kien.docx",
        lambda c, w: _get(c("secretary"), reverse("comments:export_docx", args=[w["meeting"].pk])),
        "Sở Tài chính thống nhất.",
    ),
    "notes:export_docx": (
        "ghi-chu.docx",
        lambda c, w: _get(c("member"), reverse("notes:export_docx")),
        "Đề nghị làm rõ nguồn vốn ngân sách",
    ),
    "opinions:summary_docx": (
        "tong-hop-lay-y-kien.docx",
        lambda c, w: _get(c("clerk"), reverse("opinions:summary_docx", args=[w["opinion"].pk])),
        OPINION,
    ),
    "reports:statistics_xlsx": (
        "thong-ke.xlsx",
        lambda c, w: _get(c("clerk"), reverse("reports:statistics_xlsx"), w["year"]),
        "Cuộc họp theo tháng",
    ),
    "reports:usage_xlsx": (
        "bao-cao-su-dung.xlsx",
        lambda c, w: _get(c("clerk"), reverse("reports:usage_xlsx"), w["usage"]),
        "Sử dụng theo đơn vị",
    ),
    "reports:login_log_xlsx": (
        "nhat-ky-dang-nhap.xlsx",
        lambda c, w: _get(c("admin"), reverse("reports:login_log_xlsx")),
        "Nhật ký đăng nhập",
    ),
    "tasks:board_xlsx": (
        "nhiem-vu-don-vi.xlsx",
        lambda c, w: _get(c("unit_leader"), reverse("tasks:board_xlsx")),
        TASK,
    ),
    "tasks:office_board_xlsx": (
        "nhiem-vu-van-phong.xlsx",
        lambda c, w: _get(c("clerk"), reverse("tasks:office_board_xlsx")),
        TASK,
    ),
    "admin:auditlog_logentry_export": (
        "nhat-ky-thay-doi.xlsx",
        lambda c, w: _get(c("admin"), reverse("admin:auditlog_logentry_export")),
        "Nhật ký thay đổi",
    ),
    # The archive's ZIP holds its index workbook.
    "exports:download": (
        "muc-luc.xlsx",
        lambda c, w: _archive_index(c("clerk"), reverse("exports:download", args=[w["export"].pk])),
        PURPOSE,
    ),
}


HEADINGS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "thong-ke.xlsx": lambda w: [
        "Thống kê cuộc họp",
        f"Từ {w['year']['tu']} đến {w['year']['den']}; đơn vị: Toàn tỉnh",
    ],
    "bao-cao-su-dung.xlsx": lambda w: [
        "Báo cáo tình hình sử dụng hệ thống họp không giấy",
        f"Từ 01/01/{w['usage']['nam']} đến 31/12/{w['usage']['nam']}; kỳ báo cáo: Cả năm "
        f"{w['usage']['nam']}; đơn vị: Toàn tỉnh",
    ],
}


def _text(pdf: bytes, pages: slice = slice(None)) -> str:
    """The text of the pages, lines joined. What a cell cuts off (a merged title wider than its
    columns) is not in it."""
    return " ".join(" ".join((p.extract_text() or "").split()) for p in _pages(pdf)[pages])


def _pages(pdf: bytes) -> list[Any]:
    return list(PdfReader(io.BytesIO(pdf)).pages)


def test_every_office_file_is_opened(client_for, world) -> None:
    missing = office_file_urls() - set(FILES)
    assert not missing, f"Word or Excel files not opened by this test: {sorted(missing)}"
    files = {name: fetch(client_for, world) for name, fetch, _ in FILES.values()}
    for name, content in files.items():
        assert content[:2] == b"PK", f"{name} is not an Office Open XML file"
    printed = soffice_convert(files)
    for name, _, phrase in FILES.values():
        assert name in printed, f"LibreOffice could not open {name}"
        pdf = printed[name]
        keep(name.rsplit(".", 1)[0] + "-libreoffice.pdf", pdf)
        assert _pages(pdf), f"{name} printed no page"
        assert phrase in _text(pdf), f"{name} printed without {phrase!r}"
    # The reports' workbooks: the first sheet (two narrow columns) prints its title and the line
    # of its filters whole on its first page.
    for name, lines in HEADINGS.items():
        first = _text(printed[name], slice(1))
        for line in lines(world):
            assert line in first, f"{name}'s first page printed without {line!r}: {first[:300]}"
