"""What the reports' files say of themselves: who issues them (a unit's own report carries the
unit's name under its governing body, Decree 30/2020/NĐ-CP), the national name and the motto each
on one line, which filters made them (a line under the title), and sheet names of whole words."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from accounts.tests.factories import UserFactory
from core.testing.documents import (
    MOTTO,
    REPUBLIC,
    assert_decree_header,
    keep,
    pdf_lines,
    screenshot_pdf,
)

from .test_figures import USAGE_YEAR, signed_in

MARCH = {"tu": "01/03/2025", "den": "31/03/2025"}


@pytest.fixture
def governed(settings) -> None:
    settings.GOVERNING_BODY = "UBND tỉnh Tây Ninh"
    settings.MINUTES_PLACE = "Tây Ninh"


def test_a_unit_leaders_usage_report_is_the_units_own(dataset, governed) -> None:
    response = signed_in(dataset["stc_leader"]).get(reverse("reports:usage_pdf"), USAGE_YEAR)
    assert response.status_code == 200
    keep("bao-cao-su-dung-don-vi.pdf", response.content)
    lines = pdf_lines(response.content)
    head = lines[:8]
    assert_decree_header(lines, "UBND TỈNH TÂY NINH", "SỞ TÀI CHÍNH")
    assert not any("VĂN PHÒNG UBND" in line for line in head), head
    assert any("Tây Ninh, ngày" in line for line in head), head
    assert "Từ 01/01/2025 đến 31/12/2025; kỳ báo cáo: Cả năm 2025; đơn vị: Sở Tài chính" in lines
    # Drawn to be looked at (LibreOffice; without it, skipped here once the above has passed).
    screenshot_pdf(response.content, "reports-usage-pdf-unit-leader")


def test_the_offices_statistics_are_the_offices(dataset, department, governed) -> None:
    response = signed_in(dataset["clerk"]).get(
        reverse("reports:statistics_pdf"), {**MARCH, "don_vi": department.pk}
    )
    lines = pdf_lines(response.content)
    assert_decree_header(lines, "UBND TỈNH TÂY NINH", "VĂN PHÒNG UBND TỈNH")
    assert "Từ 01/03/2025 đến 31/03/2025; đơn vị: Sở Tài chính" in lines


def test_an_account_without_a_unit_writes_the_organisation(dataset, settings) -> None:
    settings.ORGANISATION_NAME = "Văn phòng Tỉnh ủy"
    admin = UserFactory(username="qt-khong-don-vi", role=User.Role.ADMIN, unit=None)
    lines = pdf_lines(signed_in(admin).get(reverse("reports:usage_pdf"), USAGE_YEAR).content)
    assert any("VĂN PHÒNG TỈNH ỦY" in line for line in lines[:6]), lines[:6]
    assert any(line.endswith(REPUBLIC) for line in lines[:6]), lines[:6]
    assert any(MOTTO in line for line in lines[:6]), lines[:6]
    assert "Từ 01/01/2025 đến 31/12/2025; kỳ báo cáo: Cả năm 2025; đơn vị: Toàn tỉnh" in lines


def test_the_print_views_write_the_decrees_national_name(dataset) -> None:
    client = signed_in(dataset["clerk"])
    for name, params in [("reports:usage_print", USAGE_YEAR), ("reports:statistics_print", MARCH)]:
        html = client.get(reverse(name), params).content.decode()
        assert f'<div class="republic">{REPUBLIC}</div>' in html
        assert f'<div class="motto-line">{MOTTO}</div>' in html


def _book(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_sheet_names_are_whole_words(dataset) -> None:
    client = signed_in(dataset["clerk"])
    usage = _book(client.get(reverse("reports:usage_xlsx"), USAGE_YEAR))
    assert usage.sheetnames == ["Tổng hợp", "Sử dụng theo đơn vị", "Đơn vị chưa đăng nhập"]
    statistics = _book(client.get(reverse("reports:statistics_xlsx"), MARCH))
    assert statistics.sheetnames == [
        "Cuộc họp theo tháng",
        "Cuộc họp theo đơn vị tổ chức",
        "Cuộc họp theo lĩnh vực",
        "Cuộc họp theo loại",
        "Cuộc họp theo hình thức",
        "Mức độ tham gia của các đơn vị",
        "Trả lời phiếu lấy ý kiến",
        "Nhiệm vụ đúng hạn",
        "Thông báo mời họp đúng hạn",
        "Phát hành muộn và lý do",
    ]
    # The sheet's own heading still gives the whole title.
    assert statistics["Nhiệm vụ đúng hạn"]["A3"].value == "Nhiệm vụ hoàn thành đúng hạn theo đơn vị"
    assert usage["Đơn vị chưa đăng nhập"]["A3"].value == "Đơn vị chưa đăng nhập lần nào trong kỳ"


def test_a_filtered_workbook_says_which_filters_made_it(dataset, department) -> None:
    client = signed_in(dataset["clerk"])
    statistics = _book(
        client.get(reverse("reports:statistics_xlsx"), {**MARCH, "don_vi": department.pk})
    )
    for sheet in statistics.worksheets:
        assert sheet["A1"].value == "Thống kê cuộc họp"
        assert sheet["A2"].value == "Từ 01/03/2025 đến 31/03/2025; đơn vị: Sở Tài chính"
    unit = _book(signed_in(dataset["stc_leader"]).get(reverse("reports:usage_xlsx"), USAGE_YEAR))
    assert unit["Tổng hợp"]["A2"].value == (
        "Từ 01/01/2025 đến 31/12/2025; kỳ báo cáo: Cả năm 2025; đơn vị: Sở Tài chính"
    )


def test_a_filtered_login_log_says_which_filters_made_it(dataset, office, department) -> None:
    admin = signed_in(UserFactory(username="qt", role=User.Role.ADMIN, unit=office))
    params = {**MARCH, "don_vi": department.pk, "tai_khoan": "stc", "su_kien": "failure"}
    book = _book(admin.get(reverse("reports:login_log_xlsx"), params))
    sheet = book["Nhật ký đăng nhập"]
    assert sheet["A2"].value == (
        "Từ 01/03/2025 đến 31/03/2025; đơn vị: Sở Tài chính; tài khoản: stc; "
        "sự kiện: Đăng nhập thất bại"
    )
    everything = _book(admin.get(reverse("reports:login_log_xlsx")))
    assert everything["Nhật ký đăng nhập"]["A2"].value == "Đơn vị: Toàn tỉnh"
    leader = signed_in(dataset["skhdt_leader"])
    own = _book(leader.get(reverse("reports:login_log_xlsx"), {"tu": "01/03/2025"}))
    assert own["Nhật ký đăng nhập"]["A2"].value == "Từ 01/03/2025; đơn vị: Sở Kế hoạch và Đầu tư"


def test_a_typed_filter_stays_text_in_the_workbook(dataset, office) -> None:
    admin = signed_in(UserFactory(username="qt", role=User.Role.ADMIN, unit=office))
    typed = '=HYPERLINK("http://x")\x01'
    book = _book(admin.get(reverse("reports:login_log_xlsx"), {"tai_khoan": typed}))
    cell = book["Nhật ký đăng nhập"]["A2"]
    assert cell.value == 'Đơn vị: Toàn tỉnh; tài khoản: =HYPERLINK("http://x")'
    assert cell.data_type == "s"
