"""A published meeting of the office with an issued notice: one task for the department (the
unit in charge; the other department cooperates on a second task) and a draft notice."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from meetings.tests.factories import make_meeting, publish
from tasks import services
from tasks.services import TaskData


def make_notice(meeting, by, tasks, *, issue=True, number="125/TB-VP", now=None):
    notice = services.notice_create(
        meeting=meeting,
        by=by,
        data={
            "number": number,
            "place": "Tây Ninh",
            "concluded_by": "Phó Chủ tịch UBND tỉnh Nguyễn Văn A",
            "body": "Ủy ban nhân dân tỉnh kết luận như sau.",
            "signer_name": "Trần Văn B",
            "signer_title": "Chánh Văn phòng",
            "recipients": "Sở Tài chính\nSở Kế hoạch và Đầu tư",
        },
        tasks=tasks,
    )
    if issue:
        notice = services.notice_issue(notice=notice, by=by, now=now)
    return notice


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def meeting(role_users, department, other_department):
    clerk = role_users["clerk"]
    meeting = make_meeting(
        by=clerk,
        title="Họp kiểm điểm tiến độ giải ngân",
        units=[department, other_department],
        secretary=role_users["secretary"],
    )
    return publish(meeting, clerk)


@pytest.fixture
def issued(meeting, role_users, department, other_department, today):
    """The issued notice: the department's task (the other department cooperates) and the other
    department's task."""
    notice = make_notice(
        meeting,
        role_users["clerk"],
        [
            TaskData(
                title="Rà soát kế hoạch vốn đầu tư công",
                unit=department,
                deadline=today + timedelta(days=10),
                cooperating=[other_department],
            ),
            TaskData(
                title="Báo cáo tiến độ dự án trọng điểm",
                unit=other_department,
                deadline=today + timedelta(days=5),
            ),
        ],
    )
    tasks = list(notice.tasks.order_by("id"))
    return {"notice": notice, "mine": tasks[0], "theirs": tasks[1]}
