"""Fixtures of the export tests: a date range holding the fixtures' meetings, meetings the
office's clerk must not get (another department's, a deleted one), and a meeting with every record
an archive files (`filed`)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from comments.services import comment_add
from meetings.tests.factories import make_document, make_meeting, pdf_bytes, publish
from minutes import services as minutes_services

# The held meeting of the minutes' tests (a chair with an account, the roll with an absence and a
# substitute, the comments' summary, a closed named vote) and the signing keys of the signatures'.
from minutes.tests.conftest import chair, held  # noqa: F401 (fixtures)
from signatures.models import SigningKey
from signatures.registry import entry_for
from signatures.services import sign
from signatures.tests.conftest import PASSPHRASE, key_dir, pki  # noqa: F401 (fixtures)
from tasks import services as tasks
from tasks.models import Task
from tasks.services import TaskData
from tasks.tests.conftest import make_notice


@pytest.fixture
def span() -> tuple[date, date]:
    today = timezone.localdate()
    return today, today + timedelta(days=30)


@pytest.fixture
def form_dates(span) -> dict[str, str]:
    return {"date_from": f"{span[0]:%d/%m/%Y}", "date_to": f"{span[1]:%d/%m/%Y}"}


@pytest.fixture
def foreign_meeting(role_users, other_department):
    """Organised by another department for itself: the office's clerk never sees it."""
    clerk = UserFactory(username="clerk-skhdt", role=User.Role.CLERK, unit=other_department)
    meeting = make_meeting(by=clerk, title="Họp nội bộ Sở Kế hoạch", units=[other_department])
    publish(meeting, clerk)
    make_document(meeting, clerk, "Bí mật nội bộ.pdf")
    return meeting


# ---- a meeting with every record an archive files -----------------------------------------------

TASK_TITLES = {
    "on_time": "Rà soát kế hoạch vốn đầu tư công",
    "late": "Báo cáo tiến độ giải ngân quý IV",
    "returned": "Lập danh mục dự án khởi công mới",
    "waiting": "Đánh giá tác động môi trường dự án",
    "overdue": "Tổng hợp ý kiến cử tri về đầu tư công",
}
RETURN_REASON = "Thiếu số liệu quý III của các huyện."
COMMENT = "Đề nghị bổ sung nguồn vốn cho dự án đường tỉnh 793."


def _tasks_in_every_state(notice, unit_account, clerk, today) -> dict:
    """Accepted on time, accepted late, returned with a reason, reported and waiting, overdue."""
    by_title = {task.title: task for task in notice.tasks.all()}
    made = {key: by_title[title] for key, title in TASK_TITLES.items()}
    report = SimpleUploadedFile("Báo cáo kết quả rà soát.pdf", pdf_bytes("bao cao ra soat"))
    tasks.task_report(
        task=made["on_time"], by=unit_account, note="Đã rà soát xong.", files=[report], done=True
    )
    tasks.task_accept(task=made["on_time"], by=clerk)
    late_day = timezone.now() + timedelta(days=5)
    tasks.task_report(
        task=made["late"], by=unit_account, note="Đã báo cáo.", done=True, now=late_day
    )
    tasks.task_accept(task=made["late"], by=clerk, now=late_day)
    tasks.task_report(task=made["returned"], by=unit_account, note="Xong.", done=True)
    tasks.task_return(task=made["returned"], by=clerk, reason=RETURN_REASON)
    tasks.task_report(task=made["waiting"], by=unit_account, note="Đã đánh giá.", done=True)
    Task.objects.filter(pk=made["overdue"].pk).update(deadline=today - timedelta(days=3))
    return made


@pytest.fixture
def filed(held, role_users, department, key_dir):  # noqa: F811
    """The held meeting with its minutes approved and signed by the chair, a comment, and an
    issued, signed conclusion notice whose tasks ended in every way a task ends."""
    meeting, chair_user = held["meeting"], held["chair"]
    clerk, secretary = role_users["clerk"], role_users["secretary"]
    comment_add(meeting=meeting, by=role_users["member"], body=COMMENT)
    minutes = minutes_services.minutes_start(meeting=meeting, by=secretary)
    minutes = minutes_services.minutes_approve(
        minutes=minutes, by=chair_user, version=1, number="12/BB-VPUBND", place="Tây Ninh"
    )
    chair_key = SigningKey.objects.create(
        label="Khoá của chủ trì", kind="pkcs12", holder=chair_user, file_name="nguyen-van-ky.p12"
    )
    signed_minutes = sign(
        obj=minutes, entry=entry_for(minutes), key=chair_key, secret=PASSPHRASE, by=chair_user
    )
    today = timezone.localdate()
    notice = make_notice(
        meeting,
        clerk,
        [
            TaskData(title=title, unit=department, deadline=today + timedelta(days=10))
            for title in TASK_TITLES.values()
        ],
        number="125/TB-VPUBND",
    )
    Task.objects.filter(notice=notice, title=TASK_TITLES["late"]).update(
        deadline=today + timedelta(days=2)
    )
    clerk_key = SigningKey.objects.create(
        label="Khoá của văn phòng", kind="pkcs12", holder=clerk, file_name="nguyen-van-ky.p12"
    )
    signed_notice = sign(
        obj=notice, entry=entry_for(notice), key=clerk_key, secret=PASSPHRASE, by=clerk
    )
    tasks = _tasks_in_every_state(notice, role_users["unit_clerk"], clerk, today)
    return {
        **held,
        "minutes": minutes,
        "signed_minutes": signed_minutes,
        "notice": notice,
        "signed_notice": signed_notice,
        "tasks": tasks,
    }
