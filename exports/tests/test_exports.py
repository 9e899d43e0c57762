"""Approved archive exports (D1) through the real pages: request, refuse, request again, approve,
download, expiry; who may see, decide and download; what the archive holds; the audit trail."""

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from accounts.tests.factories import UserFactory
from comments.services import comment_add
from documents.models import DocumentVersion
from exports import services
from exports.models import ExportRequest
from meetings.models import Meeting
from meetings.tests.factories import make_document, make_meeting, pdf_bytes, publish

SCRIPT = "<script>alert('x')</script>"
PURPOSE = "Nộp lưu hồ sơ họp quý IV về Lưu trữ lịch sử tỉnh."


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _request(client, form_dates, purpose=PURPOSE):
    return client.post(reverse("exports:create"), {**form_dates, "purpose": purpose})


def _decide(client, export, decision, reason=""):
    return client.post(
        reverse("exports:decide", args=[export.pk]), {"decision": decision, "reason": reason}
    )


def _sheet_rows(workbook, title):
    return [list(row) for row in workbook[title].iter_rows(min_row=2, values_only=True)]


def test_request_refuse_request_again_approve_download_expire(
    client_for, role_users, meetings, foreign_meeting, form_dates
) -> None:
    clerk, admin = client_for("clerk"), client_for("admin")
    published = meetings["published"]
    comment_add(
        meeting=published,
        by=role_users["member"],
        body="Đề nghị bổ sung số liệu quý III.",
        uploaded=SimpleUploadedFile("Số liệu bổ sung.pdf", pdf_bytes("so lieu")),
    )

    # 1. The clerk asks.
    response = _request(clerk, form_dates)
    first = ExportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", args=[first.pk])
    assert (first.requested_by, first.unit, first.status) == (
        role_users["clerk"],
        role_users["clerk"].unit,
        ExportRequest.Status.REQUESTED,
    )
    assert PURPOSE in clerk.get(reverse("exports:detail", args=[first.pk])).content.decode()
    # Not approved yet: nothing to download.
    assert clerk.get(reverse("exports:download", args=[first.pk])).status_code == 404

    # 2. The admin refuses; a reason is required.
    response = _decide(admin, first, "refuse", reason="  ")
    assert response.status_code == 200
    assert "Hãy nêu lý do từ chối." in response.content.decode()
    first.refresh_from_db()
    assert first.status == ExportRequest.Status.REQUESTED
    response = _decide(admin, first, "refuse", reason="Thiếu công văn đề nghị của Lưu trữ.")
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.decided_by, first.refusal_reason) == (
        ExportRequest.Status.REFUSED,
        role_users["admin"],
        "Thiếu công văn đề nghị của Lưu trữ.",
    )
    assert first.approved_until is None
    page = clerk.get(reverse("exports:detail", args=[first.pk])).content.decode()
    assert "Thiếu công văn đề nghị của Lưu trữ." in page
    assert reverse("exports:download", args=[first.pk]) not in page
    assert clerk.get(reverse("exports:download", args=[first.pk])).status_code == 404
    # A refusal is final: approving it afterwards changes nothing.
    _decide(admin, first, "approve")
    first.refresh_from_db()
    assert first.status == ExportRequest.Status.REFUSED

    # 3. The clerk asks again; 4. the admin approves, twice (a double click).
    _request(clerk, form_dates, purpose=PURPOSE + " Kèm công văn số 12/LT.")
    second = ExportRequest.objects.exclude(pk=first.pk).get()
    assert _decide(admin, second, "approve").status_code == 302
    second.refresh_from_db()
    decided_at = second.decided_at
    assert second.status == ExportRequest.Status.APPROVED
    assert second.decided_by == role_users["admin"]
    assert second.approved_until == decided_at + timedelta(days=7)
    assert set(second.meetings.all()) == {published}
    audited = LogEntry.objects.get_for_object(second).count()
    assert _decide(admin, second, "approve").status_code == 302
    second.refresh_from_db()
    assert (second.status, second.decided_at) == (ExportRequest.Status.APPROVED, decided_at)
    assert LogEntry.objects.get_for_object(second).count() == audited

    # The approver sees the approval but gets no download link, and no download.
    page = admin.get(reverse("exports:detail", args=[second.pk])).content.decode()
    assert reverse("exports:download", args=[second.pk]) not in page
    assert admin.get(reverse("exports:download", args=[second.pk])).status_code == 404

    # 5. The clerk downloads.
    page = clerk.get(reverse("exports:detail", args=[second.pk])).content.decode()
    assert reverse("exports:download", args=[second.pk]) in page
    response = clerk.get(reverse("exports:download", args=[second.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    content = _body(response)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    names = archive.namelist()
    # The index comes last: it lists the SHA-256 of the bytes that went before it.
    assert names[-2:] == ["muc-luc.xlsx", "muc-luc.csv"]
    assert not any(".." in name or name.startswith("/") or "\\" in name for name in names)
    folder = f"{timezone.localtime(published.start_at):%Y-%m-%d}-họp-bàn-kế-hoạch-năm"
    version = meetings["document"].current
    assert version.original_name == "Kế hoạch v2.pdf"
    assert f"{folder}/Kế hoạch v2.pdf" in names
    assert f"{folder}/gop-y/Số liệu bổ sung.pdf" in names
    # Only the current version; the draft's and the other department's documents are not there.
    assert len([n for n in names if n.endswith(".pdf") and "/ho-so/" not in n]) == 2
    assert not any("Dự thảo" in n or "nội-bộ" in n or "Bí mật" in n for n in names)
    stored = archive.read(f"{folder}/Kế hoạch v2.pdf")
    assert hashlib.sha256(stored).hexdigest() == version.sha256
    comments = archive.read(f"{folder}/gop-y.txt").decode("utf-8-sig")
    assert "Đề nghị bổ sung số liệu quý III." in comments
    assert role_users["member"].get_full_name() in comments
    assert "Số liệu bổ sung.pdf" in comments

    index = load_workbook(io.BytesIO(archive.read("muc-luc.xlsx")))
    rows = _sheet_rows(index, "Cuộc họp")
    start = timezone.localtime(published.start_at).strftime("%d/%m/%Y %H:%M")
    assert rows == [
        [
            published.pk,
            "Họp bàn kế hoạch năm",
            start,
            "Văn phòng UBND tỉnh",
            "Đã phát hành",
            1,
            1,
            folder,
        ]
    ]
    files = {row[1]: row for row in _sheet_rows(index, "Tệp")}
    assert set(files) == set(names[:-2])
    for name, (meeting_id, _, _, _, size, sha256) in files.items():
        data = archive.read(name)
        assert meeting_id == published.pk
        assert (len(data), hashlib.sha256(data).hexdigest()) == (size, sha256)
    assert files[f"{folder}/Kế hoạch v2.pdf"][5] == version.sha256
    second.refresh_from_db()
    assert second.download_count == 1 and second.last_downloaded_at is not None

    # 6. Seven days later: a clear "expired" page for the requester, and the record says so.
    ExportRequest.objects.filter(pk=second.pk).update(
        decided_at=decided_at - timedelta(days=7, minutes=1),
        approved_until=decided_at - timedelta(minutes=1),
    )
    response = clerk.get(reverse("exports:download", args=[second.pk]))
    assert response.status_code == 410
    assert "Hết hạn tải" in response.content.decode()
    second.refresh_from_db()
    assert (second.status, second.download_count) == (ExportRequest.Status.EXPIRED, 1)
    page = clerk.get(reverse("exports:detail", args=[second.pk])).content.decode()
    assert "Hết hạn" in page
    assert reverse("exports:download", args=[second.pk]) not in page

    # 7. A third account: as if the request did not exist.
    for role in ["member", "unit_leader", "unit_clerk", "secretary", "outsider"]:
        other = client_for(role)
        for pk in (first.pk, second.pk):
            assert other.get(reverse("exports:detail", args=[pk])).status_code == 404, role
            assert other.get(reverse("exports:download", args=[pk])).status_code == 404, role


def test_a_fresh_approval_downloads_while_a_past_one_does_not(
    client_for, role_users, meetings, span
) -> None:
    export = services.export_request(
        by=role_users["clerk"], date_from=span[0], date_to=span[1], purpose=PURPOSE
    )
    services.export_approve(
        export=export, by=role_users["admin"], now=timezone.now() - timedelta(days=6, hours=23)
    )
    url = reverse("exports:download", args=[export.pk])
    assert client_for("clerk").get(url).status_code == 200
    ExportRequest.objects.filter(pk=export.pk).update(
        approved_until=timezone.now() - timedelta(seconds=1)
    )
    assert client_for("clerk").get(url).status_code == 410
    assert client_for("admin").get(url).status_code == 404


def test_the_requester_cannot_approve_their_own_request(
    client_for, role_users, meetings, form_dates, span
) -> None:
    # The IT centre does not ask for archives: they hold the documents and comments.
    admin = client_for("admin")
    assert _request(admin, form_dates).status_code == 403
    assert not ExportRequest.objects.exists()
    # The clerk asks; the clerk may not decide either.
    clerk_export = services.export_request(
        by=role_users["clerk"], date_from=span[0], date_to=span[1], purpose=PURPOSE
    )
    assert (
        client_for("clerk").get(reverse("exports:decide", args=[clerk_export.pk])).status_code
        == 403
    )
    assert _decide(client_for("clerk"), clerk_export, "approve").status_code == 403
    with pytest.raises(PermissionDenied):
        services.export_approve(export=clerk_export, by=role_users["clerk"])
    with pytest.raises(PermissionDenied):
        services.export_refuse(export=clerk_export, by=role_users["clerk"], reason="Tự từ chối")
    clerk_export.refresh_from_db()
    assert clerk_export.status == ExportRequest.Status.REQUESTED


def test_a_leader_of_the_requesters_unit_decides_another_units_leader_does_not(
    client_for, role_users, department, other_department, span
) -> None:
    from django.test import Client

    # A clerk of the department (STC) organising its own meeting.
    unit_clerk = UserFactory(username="clerk-stc", role=User.Role.CLERK, unit=department)
    meeting = make_meeting(by=unit_clerk, title="Họp giao ban Sở Tài chính", units=[department])
    publish(meeting, unit_clerk)
    export = services.export_request(
        by=unit_clerk, date_from=span[0], date_to=span[1], purpose=PURPOSE
    )
    assert export.unit == department
    leader = client_for("unit_leader")
    listing = leader.get(reverse("exports:list")).content.decode()
    assert reverse("exports:detail", args=[export.pk]) in listing
    other_leader = Client()
    other_leader.force_login(
        UserFactory(username="leader-skhdt", role=User.Role.UNIT_LEADER, unit=other_department)
    )
    assert other_leader.get(reverse("exports:detail", args=[export.pk])).status_code == 404
    assert _decide(other_leader, export, "approve").status_code == 404
    # The office's clerk is no leader of the department.
    assert _decide(client_for("clerk"), export, "approve").status_code == 404
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.REQUESTED
    assert _decide(leader, export, "approve").status_code == 302
    export.refresh_from_db()
    assert (export.status, export.decided_by) == (
        ExportRequest.Status.APPROVED,
        role_users["unit_leader"],
    )
    assert set(export.meetings.all()) == {meeting}


def test_only_visible_published_alive_meetings_in_the_range_are_exported(
    client_for, role_users, meetings, foreign_meeting, span
) -> None:
    clerk = role_users["clerk"]
    gone = make_meeting(by=clerk, title="Họp đã xoá", units=[role_users["member"].unit])
    publish(gone, clerk)
    Meeting.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    later = make_meeting(
        by=clerk, title="Họp sau khoảng thời gian", days_ahead=60, units=[role_users["member"].unit]
    )
    publish(later, clerk)
    export = services.export_request(by=clerk, date_from=span[0], date_to=span[1], purpose=PURPOSE)
    services.export_approve(export=export, by=role_users["admin"])
    assert set(export.meetings.all()) == {meetings["published"]}
    # A meeting deleted after the approval drops out of the archive too.
    extra = make_meeting(
        by=clerk, title="Họp bổ sung", days_ahead=12, units=[role_users["member"].unit]
    )
    publish(extra, clerk)
    export.meetings.add(extra)
    Meeting.objects.filter(pk=extra.pk).update(deleted_at=timezone.now())
    content = _body(client_for("clerk").get(reverse("exports:download", args=[export.pk])))
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert any("họp-bàn-kế-hoạch-năm" in n for n in names)
    assert not any(
        word in n
        for n in names
        for word in ("nội-bộ", "đã-xoá", "dự-thảo", "sau-khoảng", "bổ-sung", "Bí mật")
    )


@pytest.mark.usefixtures("each_storage")  # local disk, then S3
def test_file_names_are_made_safe_and_kept_apart(client_for, role_users, meetings, span) -> None:
    clerk = role_users["clerk"]
    published = meetings["published"]
    twin = make_document(published, clerk, "Twin.pdf")
    DocumentVersion.objects.filter(pk=twin.current_id).update(original_name="Kế hoạch v2.pdf")
    evil = make_document(published, clerk, "Evil.pdf")
    DocumentVersion.objects.filter(pk=evil.current_id).update(
        original_name="../../etc/Báo cáo\u202egnp.pdf"
    )
    Meeting.objects.filter(pk=published.pk).update(title='=HYPERLINK("http://x") Họp')
    export = services.export_request(by=clerk, date_from=span[0], date_to=span[1], purpose=PURPOSE)
    services.export_approve(export=export, by=role_users["admin"])
    content = _body(client_for("clerk").get(reverse("exports:download", args=[export.pk])))
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert not any(".." in n.split("/") or n.startswith("/") or "\u202e" in n for n in names)
    pdfs = sorted(n.rsplit("/", 1)[1] for n in names if n.endswith(".pdf") and "/ho-so/" not in n)
    assert pdfs == ["Báo cáognp.pdf", "Kế hoạch v2 (2).pdf", "Kế hoạch v2.pdf"]
    with evil.current.file.open("rb") as stored:
        assert archive.read(next(n for n in names if n.endswith("/Báo cáognp.pdf"))) == (
            stored.read()
        ), "the archive holds the stored bytes"
    sheet = load_workbook(io.BytesIO(archive.read("muc-luc.xlsx")))["Cuộc họp"]
    assert sheet["B2"].value == '=HYPERLINK("http://x") Họp'
    assert sheet["B2"].data_type == "s"


def test_every_step_is_audited(client_for, role_users, meetings, form_dates) -> None:
    clerk, admin = client_for("clerk"), client_for("admin")
    _request(clerk, form_dates)
    export = ExportRequest.objects.get()
    _decide(admin, export, "approve")
    _body(clerk.get(reverse("exports:download", args=[export.pk]), REMOTE_ADDR="10.1.2.3"))
    entries = LogEntry.objects.get_for_object(export)
    created = entries.get(action=LogEntry.Action.CREATE)
    assert created.actor == role_users["clerk"]
    assert created.changes_dict["purpose"][1] == PURPOSE
    updates = list(entries.filter(action=LogEntry.Action.UPDATE))
    decided = next(e for e in updates if "status" in e.changes_dict)
    assert decided.actor == role_users["admin"]
    assert decided.changes_dict["status"] == ["requested", "approved"]
    # The approved meetings are recorded too.
    fixed = next(e for e in updates if "meetings" in e.changes_dict)
    assert fixed.changes_dict["meetings"]["objects"] == [str(meetings["published"])]
    downloaded = entries.get(action=LogEntry.Action.ACCESS)
    assert downloaded.actor == role_users["clerk"]
    assert downloaded.additional_data["event"] == "download"
    assert downloaded.additional_data["meetings"] == 1
    assert downloaded.remote_addr == "10.1.2.3"


def test_refusal_is_audited_with_its_reason(client_for, role_users, meetings, span) -> None:
    export = services.export_request(
        by=role_users["clerk"], date_from=span[0], date_to=span[1], purpose=PURPOSE
    )
    _decide(client_for("admin"), export, "refuse", reason="Chưa đủ căn cứ.")
    entry = LogEntry.objects.get_for_object(export).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == role_users["admin"]
    assert entry.changes_dict["status"] == ["requested", "refused"]
    assert entry.changes_dict["refusal_reason"][1] == "Chưa đủ căn cứ."


def test_script_in_the_purpose_and_the_reason_shows_as_text(
    client_for, role_users, meetings, form_dates
) -> None:
    clerk, admin = client_for("clerk"), client_for("admin")
    _request(clerk, form_dates, purpose=SCRIPT)
    export = ExportRequest.objects.get()
    for client in (clerk, admin):
        for name in ("exports:detail", "exports:decide"):
            if client is clerk and name == "exports:decide":
                continue
            page = client.get(reverse(name, args=[export.pk])).content.decode()
            assert SCRIPT not in page
            assert "&lt;script&gt;" in page
    listing = admin.get(reverse("exports:list")).content.decode()
    assert SCRIPT not in listing and "&lt;script&gt;" in listing
    _decide(admin, export, "refuse", reason=SCRIPT)
    page = clerk.get(reverse("exports:detail", args=[export.pk])).content.decode()
    assert SCRIPT not in page
    assert page.count("&lt;script&gt;") == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date_from": "31/02/2026", "date_to": "01/03/2026"}, "Ngày không hợp lệ"),
        ({"date_from": "2026", "date_to": "01/03/2026"}, "Ngày không hợp lệ"),
        ({"date_from": "10/03/2026", "date_to": "01/03/2026"}, "phải bằng hoặc sau"),
        ({"date_from": "01/01/2025", "date_to": "01/03/2026"}, "tối đa 366 ngày"),
        ({"date_from": "01/01/2001", "date_to": "31/12/2001"}, "Không có cuộc họp nào"),
        ({"date_from": "", "date_to": ""}, "Trường này là bắt buộc"),
    ],
)
def test_bad_dates_give_a_clear_error(client_for, meetings, data, message) -> None:
    response = _request(client_for("clerk"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_a_purpose_is_required(client_for, meetings, form_dates) -> None:
    response = _request(client_for("clerk"), form_dates, purpose="   ")
    assert response.status_code == 200
    assert "Trường này là bắt buộc" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_wrong_methods_and_roles(client_for, role_users, meetings, span) -> None:
    export = services.export_request(
        by=role_users["clerk"], date_from=span[0], date_to=span[1], purpose=PURPOSE
    )
    clerk = client_for("clerk")
    assert clerk.post(reverse("exports:download", args=[export.pk])).status_code == 405
    assert clerk.post(reverse("exports:detail", args=[export.pk])).status_code == 405
    assert clerk.delete(reverse("exports:decide", args=[export.pk])).status_code == 405
    assert clerk.post(reverse("exports:list")).status_code == 405
    # Unit clerks and members do not ask for exports.
    for role in ("member", "unit_clerk", "secretary", "outsider"):
        response = _request(client_for(role), {"date_from": "", "date_to": ""})
        assert response.status_code == 403, role
    assert ExportRequest.objects.count() == 1
    # Once decided, the decision page sends back to the request.
    services.export_approve(export=export, by=role_users["admin"])
    response = client_for("admin").get(reverse("exports:decide", args=[export.pk]))
    assert response["Location"] == reverse("exports:detail", args=[export.pk])


def test_lists_show_mine_and_those_to_decide(client_for, role_users, meetings, span) -> None:
    export = services.export_request(
        by=role_users["clerk"], date_from=span[0], date_to=span[1], purpose=PURPOSE
    )
    detail = reverse("exports:detail", args=[export.pk])
    admin_page = client_for("admin").get(reverse("exports:list")).content.decode()
    assert "Chờ tôi phê duyệt" in admin_page and detail in admin_page
    clerk_page = client_for("clerk").get(reverse("exports:list")).content.decode()
    assert "Đề nghị của tôi" in clerk_page and detail in clerk_page
    assert "Chờ tôi phê duyệt" not in clerk_page
    leader_page = client_for("unit_leader").get(reverse("exports:list")).content.decode()
    assert detail not in leader_page


def test_the_daily_command_marks_past_approvals_expired(role_users, meetings, span) -> None:
    export = services.export_request(
        by=role_users["clerk"], date_from=span[0], date_to=span[1], purpose=PURPOSE
    )
    services.export_approve(
        export=export, by=role_users["admin"], now=timezone.now() - timedelta(days=8)
    )
    out = io.StringIO()
    call_command("expire_exports", stdout=out)
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.EXPIRED
    assert out.getvalue().strip() == "1"
    entry = LogEntry.objects.get_for_object(export).latest("timestamp")
    assert entry.changes_dict["status"] == ["approved", "expired"]
