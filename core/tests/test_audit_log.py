"""The audit log as the IT centre reads it in the admin (D3): who, what, when and the values before
and after in plain Vietnamese, filtered by person, kind of record and dates, exported to Excel,
read-only, and never with the text of a comment."""

import io
import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Unit
from accounts.tests.test_admin import action

LIST = "admin:auditlog_logentry_changelist"
EXPORT = "admin:auditlog_logentry_export"
RAW_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def content_of(page: str) -> str:
    """The text of the page's main column, as a reader sees it (the menu of models left out)."""
    main = page.split('id="content"', 1)[1].split('id="footer"', 1)[0]
    main = re.sub(r"<(script|style).*?</\1>", " ", main, flags=re.DOTALL)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def add_unit(admin: Client, **data: str) -> Unit:
    fields = {"code": "SNV", "name": "Sở Nội vụ", "kind": "department", "order": "10"}
    response = admin.post(reverse("admin:accounts_unit_add"), {**fields, "is_active": "on", **data})
    assert response.status_code == 302, content_of(response.content.decode())[:2000]
    return Unit.objects.get(code=data.get("code", fields["code"]))


def entry_for(obj, action: int) -> LogEntry:
    return LogEntry.objects.get_for_object(obj).filter(action=action).latest("timestamp")


@pytest.mark.django_db
def test_the_list_names_people_records_and_changes_in_vietnamese(
    client_for, role_users, department
) -> None:
    admin = client_for("admin")
    unit = add_unit(admin, parent=str(department.pk))
    admin.post(
        reverse("admin:accounts_unit_change", args=[unit.pk]),
        {"code": "SNV", "name": "Sở Nội vụ tỉnh", "kind": "department", "order": "10",
         "is_active": "on", "may_organise": "on", "parent": str(department.pk)},
    )  # fmt: skip
    action(admin, "user", "unlock", [role_users["member"].pk])
    update = entry_for(unit, LogEntry.Action.UPDATE)

    page = admin.get(reverse(LIST)).content.decode()
    text = content_of(page)
    # The record by its kind and name, linked to its page in the admin.
    assert "Đơn vị: Sở Nội vụ tỉnh" in text
    assert reverse("admin:accounts_unit_change", args=[unit.pk]) in page
    # The person by name, linked to the account; the rows the system wrote say so.
    assert str(role_users["admin"]) in text
    assert reverse("admin:accounts_user_change", args=[role_users["admin"].pk]) in page
    assert "Hệ thống" in text
    # What changed, by the fields' labels; the unlock by what it was.
    assert "Tên đơn vị, Được tổ chức cuộc họp" in text
    assert "Mở khoá đăng nhập" in text
    assert local(update.timestamp) in text
    for raw in (
        "change:",
        "changes:",
        "locked",
        "Correlation ID",
        "Mã liên kết",
        "system",
        "password_history",
        "meetings_created",
        "Tổ chức và tài khoản |",
    ):
        assert raw not in text, raw


@pytest.mark.django_db
def test_an_entry_shows_labels_local_times_and_values_as_people_write_them(
    client_for, department
) -> None:
    admin = client_for("admin")
    unit = add_unit(admin, parent=str(department.pk))
    entry = entry_for(unit, LogEntry.Action.CREATE)

    page = admin.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).content.decode()
    text = content_of(page)
    assert reverse("admin:accounts_unit_change", args=[unit.pk]) in page
    assert "Đơn vị: Sở Nội vụ" in text
    assert local(entry.timestamp) in text  # 18:48 local, not 11:48 UTC
    assert not RAW_MOMENT.search(text), RAW_MOMENT.search(text)
    assert local(unit.created_at) in text
    for label in ("Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Đơn vị cấp trên", "Đang hoạt động"):
        assert label in text, label
    assert "Sở, ban, ngành" in text  # the choice's label, not "department"
    assert "Sở Tài chính" in text  # the parent by name, not its number
    assert "Có" in text and "Không" in text and "—" in text
    for raw in (
        "None",
        "True",
        "False",
        "department",
        "Accounts",
        "Children",
        "Export requests",
        "Organised meetings",
        "Personnel",
        ".None",
        "+07:00",
    ):
        assert raw not in text, raw


@pytest.mark.django_db
def test_filters_by_person_kind_and_local_days(client_for, role_users, department) -> None:
    admin_user, clerk = role_users["admin"], role_users["clerk"]
    unit_entry = LogEntry.objects.log_create(
        department, force_log=True, action=LogEntry.Action.UPDATE, actor=admin_user,
        changes={"name": ["Sở Tài chính cũ", "Sở Tài chính"]},
    )  # fmt: skip
    user_entry = LogEntry.objects.log_create(
        clerk, force_log=True, action=LogEntry.Action.UPDATE, actor=clerk,
        changes={"full_name": ["Văn thư cũ", "Văn thư mới"]},
    )  # fmt: skip
    # 23:30 on 02/12 and 00:10 on 03/12 in Hà Nội, 16:30 and 17:10 UTC on 02/12.
    tz = timezone.get_current_timezone()
    late = datetime(2026, 12, 2, 23, 30, tzinfo=tz)
    LogEntry.objects.filter(pk=unit_entry.pk).update(timestamp=late)
    LogEntry.objects.filter(pk=user_entry.pk).update(timestamp=late + timedelta(minutes=40))
    LogEntry.objects.exclude(pk__in=[unit_entry.pk, user_entry.pk]).delete()
    admin = client_for("admin")

    def rows(**query: str) -> str:
        response = admin.get(reverse(LIST), query)
        assert response.status_code == 200, response.get("Location")
        return content_of(response.content.decode())

    everything = rows()
    assert "Sở Tài chính cũ" not in everything  # values are on the entry's page, not the list
    assert "Đơn vị: Sở Tài chính" in everything and f"Tài khoản: {clerk}" in everything

    by_person = rows(actor=str(clerk.pk))
    assert f"Tài khoản: {clerk}" in by_person and "Đơn vị: Sở Tài chính" not in by_person

    unit_kind = ContentType.objects.get_for_model(Unit)
    by_kind = rows(kind=str(unit_kind.pk))
    assert "Đơn vị: Sở Tài chính" in by_kind and f"Tài khoản: {clerk}" not in by_kind

    second = rows(tu="02/12/2026", den="02/12/2026")
    assert "Đơn vị: Sở Tài chính" in second and f"Tài khoản: {clerk}" not in second
    third = rows(tu="03/12/2026")
    assert "Đơn vị: Sở Tài chính" not in third and f"Tài khoản: {clerk}" in third

    # The kinds offered are the records' names, only those the log holds.
    page = admin.get(reverse(LIST)).content.decode()
    kinds = re.search(r'<select[^>]*name="kind".*?</select>', page, flags=re.DOTALL)
    assert kinds is not None
    offered = re.findall(r"<option[^>]*>([^<]*)</option>", kinds.group(0))
    assert "Đơn vị" in offered and "Tài khoản" in offered and "Cuộc họp" not in offered
    assert "unit" not in offered and "user" not in offered

    # A date nobody can mean is said so next to its box; the other filters still apply.
    bad = rows(tu="31/02/2026", actor=str(clerk.pk))
    assert "Nhập một ngày hợp lệ." in bad or "Hãy nhập một ngày hợp lệ" in bad
    assert f"Tài khoản: {clerk}" in bad and "Đơn vị: Sở Tài chính" not in bad


@pytest.mark.django_db
def test_the_workbook_holds_the_filtered_rows_and_says_which_filter(
    client_for, role_users, department
) -> None:
    admin = client_for("admin")
    unit = add_unit(admin)
    admin.post(
        reverse("admin:accounts_unit_change", args=[unit.pk]),
        {"code": "SNV", "name": "Sở Nội vụ tỉnh", "kind": "department", "order": "10",
         "is_active": "on"},
    )  # fmt: skip
    filters = {"kind": ContentType.objects.get_for_model(Unit).pk, "actor": role_users["admin"].pk}
    page = admin.get(reverse(LIST), filters).content.decode()
    link = reverse(EXPORT) + "?" + "&".join(f"{k}={v}" for k, v in sorted(filters.items()))
    assert f'href="{link}"' in page.replace("&amp;", "&")

    response = admin.get(reverse(EXPORT), filters)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == "Nhật ký thay đổi"
    assert f"Người thực hiện: {role_users['admin']}" in cells[1][0]
    assert "Loại đối tượng: Đơn vị" in cells[1][0]
    header = cells[3]
    assert header[:5] == ["Thời điểm", "Người thực hiện", "Thao tác", "Loại đối tượng", "Đối tượng"]
    body = [row for row in cells[4:] if row[0] is not None]
    assert [row[4] for row in body] == ["Sở Nội vụ tỉnh", "Sở Nội vụ"]  # newest first, units only
    assert isinstance(body[0][0], datetime)
    assert body[0][1] == str(role_users["admin"])
    assert body[0][2] == "Sửa"
    assert body[0][3] == "Đơn vị"
    assert "Tên đơn vị: Sở Nội vụ → Sở Nội vụ tỉnh" in body[0][5]
    assert "Loại đơn vị: — → Sở, ban, ngành" in body[1][5]
    assert all(role_users["member"].username not in str(row) for row in body)


@pytest.mark.django_db
def test_the_workbook_never_holds_a_comments_text(client_for, role_users, meetings) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from comments.services import comment_add
    from meetings.tests.factories import pdf_bytes

    secret = "Đề nghị giữ kín phương án sáp nhập phòng Tổng hợp"
    comment_add(
        meeting=meetings["published"],
        by=role_users["member"],
        body=secret,
        uploaded=SimpleUploadedFile("Phương án.pdf", pdf_bytes()),
    )
    response = client_for("admin").get(reverse(EXPORT))
    book = load_workbook(io.BytesIO(response.content))
    everything = " ".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )
    assert "Ý kiến góp ý" in everything
    assert "sáp nhập" not in everything and "Phương án.pdf" not in everything


@pytest.mark.django_db
def test_the_log_stays_read_only(client_for, department) -> None:
    admin = client_for("admin")
    entry = LogEntry.objects.log_create(
        department, force_log=True, action=LogEntry.Action.UPDATE,
        changes={"name": ["Sở Tài chính cũ", "Sở Tài chính"]},
    )  # fmt: skip
    assert admin.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    change = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    assert admin.post(change, {"object_repr": "đã sửa"}).status_code == 403
    delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr == "Sở Tài chính"
    page = admin.get(change).content.decode()
    assert 'name="_save"' not in page
    assert admin.post(reverse(EXPORT)).status_code == 405
    assert client_for("clerk").get(reverse(EXPORT)).status_code == 302


@pytest.mark.django_db
def test_the_list_runs_as_many_queries_for_5_rows_as_for_45(client_for, role_users) -> None:
    """One query per kind of record on the page for the links, not one per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.tests.factories import UnitFactory

    admin = client_for("admin")
    query = {"kind": ContentType.objects.get_for_model(Unit).pk}

    def grow(n: int) -> int:
        for _ in range(n):
            LogEntry.objects.log_create(
                UnitFactory(), force_log=True, action=LogEntry.Action.UPDATE,
                actor=role_users["admin"], changes={"name": ["Cũ", "Mới"]},
            )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(reverse(LIST), query).status_code == 200
        return len(queries)

    assert grow(5) == grow(40)


@pytest.mark.django_db
def test_the_api_and_archive_events_are_named(client_for, role_users, meetings) -> None:
    from api.services import token_create
    from exports.models import ExportRequest
    from exports.services import export_download

    token, _ = token_create(owner=role_users["member"], name="Phần mềm quản lý văn bản",
                            scope="read", days=30)  # fmt: skip
    today = timezone.localdate()
    export = ExportRequest.objects.create(
        date_from=today - timedelta(days=30),
        date_to=today,
        requested_by=role_users["clerk"],
        purpose="Nộp lưu trữ",
        status="approved",
        approved_until=timezone.now() + timedelta(days=7),
    )
    export_download(export=export, by=role_users["clerk"], meetings=2, files=5)

    text = content_of(client_for("admin").get(reverse(LIST)).content.decode())
    assert "Tạo khoá truy cập API" in text
    assert "Tải hồ sơ lưu trữ" in text
    assert f"Hồ sơ lưu trữ {export.date_from:%d/%m/%Y} – {today:%d/%m/%Y}" in text
    for raw in ("api_token_created", "download", f"({role_users['clerk'].pk})"):
        assert raw not in text, raw
    assert token.prefix
