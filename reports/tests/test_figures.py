"""Every number of the statistics and the usage report, on the page, in the .xlsx (read back with
openpyxl) and in the PDF (text extracted with pypdf), from the known dataset of conftest.py."""

import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import User
from accounts.tests.factories import UserFactory, signed_in_client

YEAR = {"tu": "01/01/2025", "den": "31/12/2025"}
USAGE_YEAR = {"nam": "2025", "ky": "ca-nam"}

# Worked out from the dataset by hand.
MONTHS = [
    ["01/2025", "0"], ["02/2025", "0"], ["03/2025", "2"], ["04/2025", "0"], ["05/2025", "0"],
    ["06/2025", "0"], ["07/2025", "0"], ["08/2025", "1"], ["09/2025", "0"], ["10/2025", "0"],
    ["11/2025", "1"], ["12/2025", "0"],
]  # fmt: skip
ORGANISERS = [["Văn phòng UBND tỉnh", "3"], ["Sở Kế hoạch và Đầu tư", "1"]]
FIELDS = [["Kinh tế", "3"], ["(Chưa phân loại)", "1"]]
TYPES = [["Họp thường kỳ", "3"], ["Họp bất thường", "1"]]
FORMS = [["Họp trực tiếp", "2"], ["Họp trực tuyến", "2"]]
# Đơn vị, được mời, xem trước, tải, cử người, có mặt, góp ý, tỷ lệ xem trước
COMPLIANCE = [
    ["Sở Kế hoạch và Đầu tư", "1", "1", "0", "1", "0", "0", "100,0 %"],
    ["Sở Nội vụ", "1", "0", "0", "0", "0", "0", "0,0 %"],
    ["Sở Tài chính", "3", "2", "1", "1", "2", "1", "66,7 %"],
]
COMPLIANCE_TOTAL = ["Tổng cộng", "5", "3", "1", "2", "2", "1", "60,0 %"]
NOTICE = [["Đúng hạn", "3"], ["Muộn (có lý do)", "1"]]
# Đơn vị, đăng nhập, tài khoản, được mời, có mặt, tải, góp ý
USAGE_UNITS = [
    ["Sở Tài chính", "3", "2", "3", "2", "1", "1"],
    ["Sở Kế hoạch và Đầu tư", "1", "1", "1", "0", "0", "0"],
    ["Văn phòng UBND tỉnh", "1", "1", "0", "0", "0", "0"],
    ["Sở Nội vụ", "0", "0", "1", "0", "0", "0"],
]
USAGE_TOTAL = ["Tổng cộng", "5", "4", "5", "2", "1", "1"]
SUMMARY = [
    ["Số cuộc họp", "4"],
    ["– trong đó hoãn", "0"],
    ["– trong đó huỷ", "1"],
    ["Tài liệu đăng tải", "2"],
    ["Lượt tải tài liệu", "1"],
    ["Ý kiến góp ý", "1"],
    ["Lượt đăng nhập", "5"],
    ["Tài khoản đã đăng nhập", "4"],
    ["Đơn vị đã đăng nhập", "3/4"],
    ["Đơn vị chưa đăng nhập", "1"],
    ["Tỷ lệ có mặt (cuộc họp đã điểm danh)", "66,7 %"],
    ["Tỷ lệ phát hành đúng hạn", "75,0 %"],
]


class _Tables(HTMLParser):
    """The text of every cell of every table with an id, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id"):
            self.current = str(dict(attrs)["id"])
            self.tables[self.current] = []
        elif tag == "tr" and self.current:
            self.row = []
        elif tag in {"td", "th"} and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.current:
            self.tables[self.current].append(self.row)
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def body(table: list[list[str]]) -> list[list[str]]:
    """Rows without the header and the total."""
    return [row for row in table[1:] if row[0] not in {"Tổng cộng", "Tỷ lệ đúng hạn"}]


def total(table: list[list[str]]) -> list[str]:
    return table[-1]


def signed_in(user: Any) -> Client:
    return signed_in_client(user)


def sheet_rows(content: bytes, title: str) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content))
    sheet = book[title]
    return [list(row) for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] is not None]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def clerk(dataset) -> Client:
    return signed_in(dataset["clerk"])


def test_statistics_page_shows_every_figure(clerk):
    response = clerk.get(reverse("reports:statistics"), YEAR)
    assert response.status_code == 200
    found = tables(response.content.decode())
    assert body(found["table-month"]) == MONTHS
    assert total(found["table-month"]) == ["Tổng cộng", "4"]
    assert body(found["table-organiser"]) == ORGANISERS
    assert body(found["table-field"]) == FIELDS
    assert body(found["table-type"]) == TYPES
    assert body(found["table-form"]) == FORMS
    assert body(found["table-compliance"]) == COMPLIANCE
    assert total(found["table-compliance"]) == COMPLIANCE_TOTAL
    assert body(found["table-notice"]) == NOTICE
    assert total(found["table-notice"]) == ["Tỷ lệ đúng hạn", "75,0 %"]
    late = body(found["table-late"])
    assert len(late) == 1
    assert late[0][0] == "Họp khẩn về phòng chống hạn mặn"
    assert late[0][5] == "Chỉ đạo đột xuất của Chủ tịch UBND tỉnh"
    assert late[0][3] == "08:00 15/03/2025"
    # Each chart has its data beside it, drawn from the same rows.
    html = response.content.decode()
    for key in ["month", "organiser", "field", "type", "form", "compliance", "notice"]:
        assert f'data-chart="chart-data-{key}"' in html
        assert f'id="chart-data-{key}"' in html
    assert 'id="chart-data-late"' not in html
    assert "vendor/chartjs/chart.umd.min.js" in html


def test_statistics_period_narrows_the_figures(clerk):
    response = clerk.get(reverse("reports:statistics"), {"tu": "01/03/2025", "den": "31/03/2025"})
    found = tables(response.content.decode())
    assert body(found["table-month"]) == [["03/2025", "2"]]
    assert body(found["table-compliance"]) == [
        ["Sở Kế hoạch và Đầu tư", "1", "1", "0", "1", "0", "0", "100,0 %"],
        ["Sở Nội vụ", "1", "0", "0", "0", "0", "0", "0,0 %"],
        ["Sở Tài chính", "2", "1", "1", "1", "1", "1", "50,0 %"],
    ]


def test_statistics_excel_holds_the_same_numbers(clerk):
    response = clerk.get(reverse("reports:statistics_xlsx"), YEAR)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "thong-ke-01-01-2025-31-12-2025.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Cuộc họp theo tháng"]
    assert sheet["A1"].value == "Thống kê cuộc họp"
    assert sheet["A2"].value == "Từ 01/01/2025 đến 31/12/2025; đơn vị: Toàn tỉnh"
    assert [c.value for c in sheet[4]] == ["Tháng", "Số cuộc họp"]
    assert sheet["A4"].font.bold and sheet["A4"].fill.fgColor.rgb.endswith("1F4E79")
    months = sheet_rows(response.content, "Cuộc họp theo tháng")
    assert [[a, str(b)] for a, b in months[:-1]] == MONTHS
    assert months[-1] == ["Tổng cộng", 4]
    compliance = sheet_rows(response.content, "Mức độ tham gia của các đơn vị")
    assert [row[:7] for row in compliance[:3]] == [
        [r[0], *(int(x) for x in r[1:7])] for r in COMPLIANCE
    ]
    assert compliance[2][7] == pytest.approx(2 / 3)
    assert compliance[3][:7] == ["Tổng cộng", 5, 3, 1, 2, 2, 1]
    assert compliance[3][7] == pytest.approx(0.6)
    late = sheet_rows(response.content, "Phát hành muộn và lý do")
    assert late[0][0] == "Họp khẩn về phòng chống hạn mặn"
    assert late[0][3].strftime("%d/%m/%Y %H:%M") == "15/03/2025 08:00"
    assert late[0][5] == "Chỉ đạo đột xuất của Chủ tịch UBND tỉnh"


def test_statistics_pdf_holds_the_same_numbers(clerk):
    response = clerk.get(reverse("reports:statistics_pdf"), YEAR)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "thong-ke-01-01-2025-31-12-2025.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "THỐNG KÊ CUỘC HỌP" in text
    assert "Sở Tài chính 3 2 1 1 2 1 66,7 %" in text
    assert "Tổng cộng 5 3 1 2 2 1 60,0 %" in text
    assert "03/2025 2" in text and "11/2025 1" in text
    assert "Tỷ lệ đúng hạn 75,0 %" in text


def test_usage_report_shows_every_figure(clerk):
    response = clerk.get(reverse("reports:usage"), USAGE_YEAR)
    assert response.status_code == 200
    found = tables(response.content.decode())
    assert found["table-summary"][1:] == SUMMARY
    assert body(found["table-units"]) == USAGE_UNITS
    assert total(found["table-units"]) == USAGE_TOTAL
    assert found["table-silent"][1:] == [["1", "Sở Nội vụ", "SNV"]]
    assert "Cả năm 2025" in response.content.decode()


def test_usage_report_first_half(clerk):
    response = clerk.get(reverse("reports:usage"), {"nam": "2025", "ky": "6-thang-dau"})
    summary = dict(tables(response.content.decode())["table-summary"][1:])
    assert summary["Số cuộc họp"] == "2"  # M1 and M2; M3 (August) and M7 (November) are not
    assert summary["– trong đó huỷ"] == "0"
    assert summary["Tỷ lệ có mặt (cuộc họp đã điểm danh)"] == "50,0 %"  # M1 only: 1 of 2
    second = clerk.get(reverse("reports:usage"), {"nam": "2025", "ky": "6-thang-cuoi"})
    summary = dict(tables(second.content.decode())["table-summary"][1:])
    assert summary["Số cuộc họp"] == "2"
    assert summary["Lượt đăng nhập"] == "0"
    assert summary["Đơn vị chưa đăng nhập"] == "4"


def test_usage_excel_and_pdf_hold_the_same_numbers(clerk):
    response = clerk.get(reverse("reports:usage_xlsx"), USAGE_YEAR)
    assert response.status_code == 200
    assert "bao-cao-su-dung-ca-nam-2025.xlsx" in response["Content-Disposition"]
    summary = sheet_rows(response.content, "Tổng hợp")
    expected = dict(SUMMARY)
    for label, value in summary:
        shown = expected[label]
        if shown.endswith("%"):
            assert value == pytest.approx(float(shown[:-2].replace(",", ".")) / 100, abs=0.001)
        else:
            assert str(value) == shown
    units = sheet_rows(response.content, "Sử dụng theo đơn vị")
    assert [[r[0], *(str(x) for x in r[1:])] for r in units] == [*USAGE_UNITS, USAGE_TOTAL]
    silent = sheet_rows(response.content, "Đơn vị chưa đăng nhập")
    assert silent == [[1, "Sở Nội vụ", "SNV"]]

    pdf = clerk.get(reverse("reports:usage_pdf"), USAGE_YEAR)
    assert pdf.status_code == 200
    assert "bao-cao-su-dung-ca-nam-2025.pdf" in pdf["Content-Disposition"]
    text = pdf_text(pdf.content)
    assert "BÁO CÁO TÌNH HÌNH SỬ DỤNG HỆ THỐNG HỌP KHÔNG GIẤY" in text
    for label, value in SUMMARY:
        assert f"{label} {value}" in text
    assert "Sở Tài chính 3 2 3 2 1 1" in text
    assert "Tổng cộng 5 4 5 2 1 1" in text
    assert "Sở Nội vụ SNV" in text


def test_print_views_are_a4_pages(clerk):
    for name, params in [("reports:usage_print", USAGE_YEAR), ("reports:statistics_print", YEAR)]:
        response = clerk.get(reverse(name), params)
        html = response.content.decode()
        assert response.status_code == 200
        assert 'class="a4 report"' in html and "css/print.css" in html
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html


def test_a_unit_sees_only_its_own_figures(dataset):
    client = signed_in(dataset["skhdt_clerk"])
    response = client.get(reverse("reports:statistics"), {**YEAR, "don_vi": "999"})
    found = tables(response.content.decode())
    # Meetings it organised (M7) or was invited to (M1); the unit filter is not offered.
    assert total(found["table-month"]) == ["Tổng cộng", "2"]
    assert body(found["table-organiser"]) == [
        ["Sở Kế hoạch và Đầu tư", "1"],
        ["Văn phòng UBND tỉnh", "1"],
    ]
    assert body(found["table-compliance"]) == [COMPLIANCE[0]]
    assert 'name="don_vi"' not in response.content.decode()
    usage = tables(client.get(reverse("reports:usage"), USAGE_YEAR).content.decode())
    assert body(usage["table-units"]) == [USAGE_UNITS[1]]
    assert dict(usage["table-summary"][1:])["Đơn vị đã đăng nhập"] == "1/1"
    workbook = client.get(reverse("reports:usage_xlsx"), USAGE_YEAR).content
    assert [r[0] for r in sheet_rows(workbook, "Sử dụng theo đơn vị")] == [
        "Sở Kế hoạch và Đầu tư",
        "Tổng cộng",
    ]


def test_the_province_may_narrow_to_one_unit(clerk, department):
    response = clerk.get(reverse("reports:statistics"), {**YEAR, "don_vi": department.pk})
    found = tables(response.content.decode())
    assert body(found["table-compliance"]) == [COMPLIANCE[2]]
    assert "Sở Tài chính" in response.content.decode().split("<h1")[1][:400]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tu": "32/13/2025"}, "Nhập một ngày hợp lệ."),
        ({"tu": "01/06/2025", "den": "01/01/2025"}, "Ngày kết thúc phải sau ngày bắt đầu."),
        ({"tu": "<script>alert(1)</script>"}, "Nhập một ngày hợp lệ."),
        ({"don_vi": "' OR 1=1 --"}, "Hãy chọn một lựa chọn hợp lệ."),
    ],
)
def test_bad_statistics_filters_get_a_message(clerk, params, message):
    response = clerk.get(reverse("reports:statistics"), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "<script>alert(1)</script>" not in html
    # The other filters still apply, the default period fills what is wrong.
    assert "table-compliance" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"nam": "abc"}, "Năm phải là một số, ví dụ 2026."),
        ({"nam": "1999"}, "Năm phải từ 2000 trở đi."),
        ({"nam": "99999999999999999999"}, "Năm không được sau 2100."),
        ({"ky": "<script>"}, "Kỳ báo cáo không hợp lệ."),
    ],
)
def test_bad_usage_filters_get_a_message(clerk, params, message):
    for name in ["reports:usage", "reports:usage_print"]:
        response = clerk.get(reverse(name), params)
        assert response.status_code == 200
    response = clerk.get(reverse("reports:usage"), params)
    assert message in response.content.decode()
    assert clerk.get(reverse("reports:usage_xlsx"), params).status_code == 200


def test_titles_with_script_tags_and_formulas_stay_text(clerk, dataset):
    m2 = dataset["meetings"]["m2"]
    m2.title = '=HYPERLINK("http://x","y") <script>alert(1)</script>'
    m2.late_reason = "<b>gấp</b>"
    m2.save()
    html = clerk.get(reverse("reports:statistics"), YEAR).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>gấp</b>" not in html
    content = clerk.get(reverse("reports:statistics_xlsx"), YEAR).content
    book = load_workbook(io.BytesIO(content))
    cell = book["Phát hành muộn và lý do"]["A5"]
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


def test_report_queries_do_not_grow_with_the_data(clerk, dataset, django_assert_max_num_queries):
    from reports.tests.conftest import at  # noqa: PLC0415

    url = reverse("reports:statistics")
    # 16, and one grouped query for the written opinions' answers per unit (B13), one for the
    # tasks done on time per unit (B12), one for the menu's count of things to do (B16).
    with django_assert_max_num_queries(19) as before:
        clerk.get(url, YEAR)
    m1 = dataset["meetings"]["m1"]
    from meetings.models import Meeting  # noqa: PLC0415

    for n in range(30):
        Meeting.objects.create(
            title=f"Thêm {n}",
            start_at=at("10/04/2025"),
            end_at=at("10/04/2025", 11),
            type=m1.type,
            form=m1.form,
            organiser_unit=m1.organiser_unit,
            created_by=m1.created_by,
            status="published",
            published_at=at("01/04/2025"),
            late_reason="Muộn" if n % 2 else "",
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = clerk.get(url, YEAR)
    assert re.search(r"04/2025</th>\s*<td[^>]*>30<", response.content.decode())
    usage_url = reverse("reports:usage")
    with django_assert_max_num_queries(20) as first:
        clerk.get(usage_url, USAGE_YEAR)
    assert len(first.captured_queries) <= 20


@pytest.mark.parametrize(
    ("name", "params", "shown"),
    [
        ("reports:statistics", {}, "01/01/"),
        ("reports:statistics", {"tu": "01/03/2025"}, "01/03/2025"),
        ("reports:login_log", {"tu": "01/03/2025"}, "01/03/2025"),
        ("meetings:list", {"tu": "01/03/2025"}, "01/03/2025"),
        ("exports:create", {}, ""),
    ],
)
def test_date_filters_are_typed_dd_mm_yyyy(dataset, name, params, shown):
    """Every date field reads dd/mm/yyyy, offers a numeric keypad, and shows the chosen date."""
    # The admin reads the reports and the login log; the office's clerk asks for archives.
    if name == "exports:create":
        reader = dataset["clerk"]
    else:
        reader = UserFactory(role=User.Role.ADMIN, unit=dataset["clerk"].unit)
    html = signed_in(reader).get(reverse(name), params).content.decode()
    field = re.search(r'<input[^>]*name="(tu|date_from)"[^>]*>', html)
    assert field, html
    tag = field.group(0)
    assert 'placeholder="dd/mm/yyyy"' in tag
    assert 'inputmode="numeric"' in tag
    assert f'value="{shown}' in tag or not shown
