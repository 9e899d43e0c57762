"""The login log report (A3): filters, downloads per session, Excel, and who sees which accounts."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import LoginEvent, User
from accounts.tests.factories import UserFactory
from documents.models import Download

from .conftest import at
from .test_figures import signed_in, tables


@pytest.fixture
def admin(dataset, office) -> Client:
    return signed_in(UserFactory(username="qt", role=User.Role.ADMIN, unit=office))


def rows(client: Client, **params: str) -> list[list[str]]:
    response = client.get(reverse("reports:login_log"), params)
    assert response.status_code == 200
    return tables(response.content.decode())["table-login-log"][1:]


def test_the_admin_sees_every_event_newest_first(admin):
    found = rows(admin)
    assert len(found) == 9  # the dataset's eight and the admin's own sign-in of a moment ago
    assert found[0][2].endswith("qt")
    assert found[1][0] == "09:00 14/03/2025"
    assert found[-1][0] == "09:00 01/12/2024"
    kinds = [row[1] for row in found]
    assert kinds.count("Đăng nhập thành công") == 7
    assert kinds.count("Đăng nhập thất bại") == 1
    assert kinds.count("Đăng xuất") == 1


def test_downloads_are_shown_per_session(admin, dataset):
    session = next(r for r in rows(admin) if r[0] == "08:00 05/03/2025")
    assert session[4] == "10.0.0.5"
    assert session[5] == "Mozilla/5.0 (iPad)"
    assert session[6].startswith("1 tài liệu")
    assert "Báo cáo kinh tế quý I (08:00)" in session[6]
    other = next(r for r in rows(admin) if r[0] == "09:00 14/03/2025")
    assert other[6] == "Không tải tài liệu nào"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tai_khoan": "stc-ld"}, 2),  # a success and a failure
        ({"tai_khoan": "STC-VT"}, 3),
        ({"su_kien": "failure"}, 1),
        ({"tu": "06/03/2025", "den": "06/03/2025"}, 2),
        ({"tu": "01/01/2025"}, 8),
        ({"tai_khoan": "%"}, 0),
        ({"tai_khoan": "'; DROP TABLE accounts_user; --"}, 0),
    ],
)
def test_filters(admin, params, expected):
    assert len([r for r in rows(admin, **params) if len(r) > 1]) == expected


def test_filter_by_unit(admin, department, other_department):
    found = rows(admin, don_vi=str(other_department.pk))
    assert [r[3] for r in found] == ["Sở Kế hoạch và Đầu tư"]
    assert len(rows(admin, don_vi=str(department.pk))) == 5


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tu": "31/02/2025"}, "Nhập một ngày hợp lệ."),
        ({"tu": "02/03/2025", "den": "01/03/2025"}, "Ngày kết thúc phải sau ngày bắt đầu."),
        ({"su_kien": "<script>alert(1)</script>"}, "Sự kiện không hợp lệ."),
        ({"tai_khoan": "x" * 10_000}, "Tối đa 150 ký tự."),
    ],
)
def test_bad_filters_get_a_message(admin, params, message):
    response = admin.get(reverse("reports:login_log"), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "<script>alert(1)</script>" not in html
    assert admin.get(reverse("reports:login_log_xlsx"), params).status_code == 200


def test_a_unit_leader_sees_only_the_units_accounts(dataset, department, other_department):
    client = signed_in(dataset["skhdt_leader"])
    found = rows(client, don_vi=str(department.pk))
    assert len(found) == 2  # the unit account's sign-in and the leader's own
    assert {r[3] for r in found} == {"Sở Kế hoạch và Đầu tư"}
    html = client.get(reverse("reports:login_log")).content.decode()
    assert 'name="don_vi"' not in html
    workbook = load_workbook(io.BytesIO(client.get(reverse("reports:login_log_xlsx")).content))
    sheet = workbook.active
    assert sheet is not None
    names = [r[4] for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    assert names == ["Sở Kế hoạch và Đầu tư"] * 2


def test_the_office_leader_sees_the_province(dataset, office):
    leader = UserFactory(username="vp-ld", role=User.Role.UNIT_LEADER, unit=office)
    assert len(rows(signed_in(leader))) == 9  # the dataset's eight and the leader's own


def test_excel_export(admin):
    response = admin.get(reverse("reports:login_log_xlsx"), {"tu": "01/01/2025"})
    assert response.status_code == 200
    assert "nhat-ky-dang-nhap-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Nhật ký đăng nhập"]
    assert [c.value for c in sheet[4]][:5] == [
        "Thời điểm",
        "Sự kiện",
        "Tên đăng nhập",
        "Họ và tên",
        "Đơn vị",
    ]
    assert sheet["A4"].font.bold
    data = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(data) == 8
    session = next(r for r in data if r[5] == "10.0.0.5")
    assert session[0].strftime("%d/%m/%Y %H:%M") == "05/03/2025 08:00"
    assert session[1] == "Đăng nhập thành công"
    assert session[2] == "stc-vt"
    assert session[4] == "Sở Tài chính"
    assert session[7] == 1
    assert session[8] == "Báo cáo kinh tế quý I"
    assert sheet.cell(row=5, column=1).number_format == "DD/MM/YYYY HH:MM"


def test_log_page_queries_do_not_grow(admin, dataset, django_assert_max_num_queries):
    url = reverse("reports:login_log")
    with django_assert_max_num_queries(20) as before:
        admin.get(url)
    user = dataset["stc_clerk"]
    report = dataset["report"]
    for n in range(40):
        event = LoginEvent.objects.create(
            kind="success", user=user, unit=user.unit, at=at("20/03/2025"), documents_downloaded=1
        )
        Download.objects.create(
            document=report,
            version=report.current,
            meeting=report.meeting,
            user=user,
            unit=user.unit,
            login_event=event,
            at=at("20/03/2025", 10 + n % 8),
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = admin.get(url)
    assert response.content.decode().count("Báo cáo kinh tế quý I") == 41
    assert "49 sự kiện" in response.content.decode()


def test_a_unit_leader_without_a_unit_sees_nothing(dataset):
    """The rule lets unit leaders in; without a unit there is nothing of their own to show, and
    the province's figures must not be shown instead."""
    leader = UserFactory(username="ld-khong-don-vi", role=User.Role.UNIT_LEADER, unit=None)
    client = signed_in(leader)
    assert client.get(reverse("reports:login_log")).status_code == 403
    assert client.get(reverse("reports:login_log_xlsx")).status_code == 403


def test_a_long_log_is_counted_up_to_a_limit(admin, dataset):
    """Past 1 000 events the page says "more than 1 000" rather than counting every sign-in; the
    pages still go on."""
    user = dataset["stc_clerk"]
    LoginEvent.objects.bulk_create(
        LoginEvent(kind="success", user=user, unit=user.unit, at=at("21/03/2025"))
        for _ in range(1001)
    )
    html = admin.get(reverse("reports:login_log")).content.decode()
    assert "Hơn 1000 sự kiện" in html
    assert "page=2" in html
    assert admin.get(reverse("reports:login_log"), {"page": 3}).status_code == 200
