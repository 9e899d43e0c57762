"""The notice and task pages: happy paths, wrong method, anonymous, wrong role, another unit, bad
input; what changed in the database, not only the status code."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from meetings.tests.factories import pdf_bytes
from notifications.models import Event, Notification, OutboxMessage
from tasks.models import Notice, Task, TaskFile, TaskStep

pytestmark = pytest.mark.django_db


def _notice_post(today, **extra):
    data = {
        "number": "12/TB-VP",
        "place": "Tây Ninh",
        "issued_on": "",
        "concluded_by": "Phó Chủ tịch UBND tỉnh",
        "body": "Kết luận <script>alert(1)</script> của cuộc họp.",
        "signer_name": "Trần Văn B",
        "signer_title": "Chánh Văn phòng",
        "recipients": "Sở Tài chính",
        "tasks-TOTAL_FORMS": "2",
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "100",
        "tasks-0-title": "Hoàn thiện đề án",
        "tasks-0-detail": "",
        "tasks-0-deadline": (today + timedelta(days=7)).strftime("%d/%m/%Y"),
        "tasks-1-title": "",
    }
    data.update(extra)
    return data


def test_office_writes_a_draft_and_issues_it(
    client_for, role_users, meeting, department, other_department, today
):
    client = client_for("clerk")
    url = reverse("tasks:notice_create", args=[meeting.pk])
    assert client.get(url).status_code == 200
    data = _notice_post(
        today,
        **{
            "tasks-0-unit": str(department.pk),
            "tasks-0-cooperating": [str(other_department.pk)],
        },
    )
    response = client.post(url, data)
    notice = Notice.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert notice.status == Notice.Status.DRAFT and notice.number == "12/TB-VP"
    task = notice.tasks.get()
    assert task.unit == department and list(task.cooperating.all()) == [other_department]
    assert task.deadline == today + timedelta(days=7) and not task.is_issued
    # The draft is the office's alone: the department does not know it exists.
    assert client_for("unit_clerk").get(reverse("tasks:detail", args=[task.pk])).status_code == 404
    page = client.get(reverse("tasks:notice_detail", args=[notice.pk]))
    assert b"<script>alert" not in page.content and b"&lt;script&gt;" in page.content

    assert client.get(reverse("tasks:notice_issue", args=[notice.pk])).status_code == 405
    client.post(reverse("tasks:notice_issue", args=[notice.pk]))
    notice.refresh_from_db()
    task.refresh_from_db()
    assert notice.status == Notice.Status.ISSUED and notice.issued_on == today
    assert task.is_issued
    assert list(task.steps.values_list("kind", flat=True)) == [TaskStep.Kind.ASSIGNED]
    # Both units hear of it, in the inbox and by e-mail.
    reached = set(Notification.objects.values_list("user__username", flat=True))
    assert {"unitclerk1", "leader1", "member1", "outsider1"} <= reached
    assert "clerk1" not in reached
    event = Event.objects.get(kind=Event.Kind.NOTICE)
    assert event.link == reverse("tasks:detail", args=[task.pk])
    assert OutboxMessage.objects.filter(event=event).exists()
    # Issuing twice (a double tap) changes nothing and sends nothing more.
    client.post(reverse("tasks:notice_issue", args=[notice.pk]))
    assert Event.objects.filter(kind=Event.Kind.NOTICE).count() == 1
    assert TaskStep.objects.count() == 1


def test_a_notice_cannot_be_written_by_others(client_for, meeting, today, department):
    url = reverse("tasks:notice_create", args=[meeting.pk])
    data = _notice_post(today, **{"tasks-0-unit": str(department.pk)})
    assert client_for("unit_leader").post(url, data).status_code == 403
    # The other department is invited too: it sees the meeting, not to write its notice.
    assert client_for("outsider").post(url, data).status_code == 403
    assert client_for("admin").post(url, data).status_code == 404
    anonymous = client_for("anonymous").post(url, data)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert not Notice.objects.exists()
    # The secretary writes it as well as the clerk.
    assert client_for("secretary").post(url, data).status_code == 302
    assert Notice.objects.count() == 1


def test_a_bad_task_keeps_what_was_typed(client_for, meeting, today, department):
    url = reverse("tasks:notice_create", args=[meeting.pk])
    data = _notice_post(
        today,
        **{
            "tasks-0-unit": str(department.pk),
            "tasks-0-cooperating": [str(department.pk)],
            "tasks-0-deadline": "31/02/2026",
        },
    )
    response = client_for("clerk").post(url, data)
    assert response.status_code == 200
    assert "Đơn vị chủ trì không đồng thời là đơn vị phối hợp." in response.content.decode()
    assert "Hoàn thiện đề án" in response.content.decode()
    assert not Notice.objects.exists()


def test_an_issued_notice_is_no_longer_edited(client_for, issued):
    notice = issued["notice"]
    url = reverse("tasks:notice_edit", args=[notice.pk])
    assert client_for("clerk").get(url).status_code == 403
    assert client_for("unit_clerk").get(url).status_code == 403
    assert client_for("admin").get(url).status_code == 404


def test_notice_pdf(client_for, issued):
    response = client_for("unit_clerk").get(reverse("tasks:notice_pdf", args=[issued["notice"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 125/TB-VP",
        "THÔNG BÁO",
        "Rà soát kế hoạch vốn đầu tư công",
        "Nơi nhận",
        "Trần Văn B",
    ]:
        assert expected in " ".join(text.split()), expected


# ---- the unit reports, the office decides ------------------------------------------------------


def _report(client, task, **data):
    return client.post(reverse("tasks:report", args=[task.pk]), data)


def test_unit_reports_done_with_a_file_and_the_office_accepts(
    client_for, issued, today, role_users
):
    task = issued["mine"]
    upload = SimpleUploadedFile("../../Báo cáo kết quả.pdf", pdf_bytes("ket qua"))
    response = _report(
        client_for("unit_clerk"), task, note="Đã hoàn thành rà soát.", done="on", files=[upload]
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Task.Status.REPORTED and task.reported_on == today
    stored = TaskFile.objects.get()
    assert stored.file_name == "Báo cáo kết quả.pdf"
    # The office hears of it, to accept or return it.
    told = Event.objects.get(title__startswith="Đơn vị báo cáo hoàn thành nhiệm vụ")
    assert Notification.objects.filter(event=told, user=role_users["clerk"]).exists()
    assert ".." not in stored.file.name and "Báo" not in stored.file.name
    # Cooperating units read the task and its files; a stale second report is refused.
    coop = client_for("outsider")
    assert coop.get(reverse("tasks:detail", args=[task.pk])).status_code == 200
    assert coop.get(reverse("tasks:file", args=[stored.pk])).status_code == 200
    again = _report(client_for("unit_clerk"), task, note="Lần hai", done="on")
    assert again.status_code == 403  # no longer open: seen, not to be reported on
    assert TaskStep.objects.filter(task=task, kind=TaskStep.Kind.REPORTED).count() == 1

    assert client_for("unit_clerk").post(reverse("tasks:accept", args=[task.pk])).status_code == 403
    assert client_for("clerk").get(reverse("tasks:accept", args=[task.pk])).status_code == 405
    client_for("clerk").post(reverse("tasks:accept", args=[task.pk]), {"note": "Tốt"})
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.done_on == today and not task.done_late
    kinds = list(task.steps.values_list("kind", flat=True))
    assert kinds == ["assigned", "reported", "accepted"]


def test_return_needs_a_reason(client_for, issued):
    task = issued["mine"]
    _report(client_for("unit_leader"), task, note="Xong", done="on")
    clerk = client_for("clerk")
    response = clerk.post(reverse("tasks:return", args=[task.pk]), {"reason": "   "})
    assert response.status_code == 400
    assert "Hãy nhập lý do trả lại." in response.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.REPORTED
    clerk.post(reverse("tasks:return", args=[task.pk]), {"reason": "Thiếu số liệu quý III"})
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN and task.reported_on is None
    step = task.steps.get(kind=TaskStep.Kind.RETURNED)
    assert step.note == "Thiếu số liệu quý III" and step.by.username == "clerk1"
    # The unit hears of it.
    assert Event.objects.filter(title__startswith="Nhiệm vụ bị trả lại").exists()


def test_another_units_task_does_not_exist_for_it(client_for, issued):
    theirs = issued["theirs"]
    client = client_for("unit_clerk")
    assert client.get(reverse("tasks:detail", args=[theirs.pk])).status_code == 404
    assert _report(client, theirs, note="Không phải của tôi", done="on").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Task.Status.OPEN
    assert not TaskStep.objects.filter(task=theirs).exclude(kind="assigned").exists()


def test_member_and_cooperating_unit_read_but_do_not_report(client_for, issued):
    mine = issued["mine"]
    assert client_for("member").get(reverse("tasks:detail", args=[mine.pk])).status_code == 200
    assert _report(client_for("member"), mine, note="x").status_code == 403
    assert _report(client_for("outsider"), mine, note="x").status_code == 403
    assert client_for("unit_clerk").get(reverse("tasks:report", args=[mine.pk])).status_code == 405
    assert client_for("anonymous").post(reverse("tasks:report", args=[mine.pk])).status_code == 302
    assert not TaskStep.objects.filter(task=mine).exclude(kind="assigned").exists()


def test_a_refused_file_loses_nothing(client_for, issued, settings):
    task = issued["mine"]
    bad = SimpleUploadedFile("chuong-trinh.exe", b"MZ\x90\x00 not a document")
    response = _report(client_for("unit_clerk"), task, note="Kèm tệp", files=[bad])
    assert response.status_code == 400
    assert "không được phép" in response.content.decode()
    assert "Kèm tệp" in response.content.decode()  # the note is still in the form
    fake = SimpleUploadedFile("bao-cao.pdf", b"this is not a pdf at all")
    assert _report(client_for("unit_clerk"), task, note="x", files=[fake]).status_code == 400
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 100
    big = SimpleUploadedFile("lon.pdf", pdf_bytes("x" * 500))
    assert _report(client_for("unit_clerk"), task, note="x", files=[big]).status_code == 400
    huge = "x" * 6000
    assert _report(client_for("unit_clerk"), task, note=huge).status_code == 400
    assert not TaskFile.objects.exists()
    assert task.steps.count() == 1


def test_office_edits_a_draft_and_removes_a_task(client_for, meeting, role_users, today):
    from tasks.services import TaskData

    from .conftest import make_notice

    unit = role_users["unit_clerk"].unit
    notice = make_notice(
        meeting,
        role_users["clerk"],
        [
            TaskData(title="Giữ lại", unit=unit, deadline=today + timedelta(days=3)),
            TaskData(title="Bỏ đi", unit=unit, deadline=today + timedelta(days=4)),
        ],
        issue=False,
    )
    kept, dropped = notice.tasks.order_by("id")
    url = reverse("tasks:notice_edit", args=[notice.pk])
    client = client_for("secretary")
    assert client.get(url).status_code == 200
    data = _notice_post(
        today,
        **{
            "body": "Nội dung đã sửa",
            "tasks-TOTAL_FORMS": "4",
            "tasks-INITIAL_FORMS": "2",
            "tasks-0-id": str(kept.pk),
            "tasks-0-title": "Giữ lại, sửa tên",
            "tasks-0-unit": str(unit.pk),
            "tasks-0-deadline": (today + timedelta(days=9)).strftime("%d/%m/%Y"),
            "tasks-1-id": str(dropped.pk),
            "tasks-1-title": "Bỏ đi",
            "tasks-1-unit": str(unit.pk),
            "tasks-1-deadline": (today + timedelta(days=4)).strftime("%d/%m/%Y"),
            "tasks-1-DELETE": "on",
        },
    )
    assert client.post(url, data).status_code == 302
    notice.refresh_from_db()
    assert notice.body == "Nội dung đã sửa"
    assert [(t.pk, t.title) for t in notice.tasks.all()] == [(kept.pk, "Giữ lại, sửa tên")]
    assert notice.tasks.get().deadline == today + timedelta(days=9)
    assert client_for("unit_leader").post(url, data).status_code == 404
