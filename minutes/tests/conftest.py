"""A held meeting with everything the minutes are drafted from: a chair with an account, the
roll (present in person, online, absent with a reason, a substitute), two agenda items, a
speaker, the consolidated comments and a closed vote; and a bare one, with nothing recorded."""

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PersonFactory, UnitFactory, UserFactory
from attendance.models import Presence
from comments.services import summary_save
from meetings.models import AgendaItem
from meetings.tests.factories import make_meeting, publish
from room.models import Speech
from voting import services as voting


@pytest.fixture
def chair(office) -> User:
    person = PersonFactory(
        full_name="Trần Văn Chủ Trì", position="Phó Chủ tịch UBND tỉnh", unit=office
    )
    return UserFactory(username="chair1", role=User.Role.UNIT_LEADER, unit=office, person=person)


@pytest.fixture
def held(role_users, department, chair) -> dict:
    clerk, secretary = role_users["clerk"], role_users["secretary"]
    online_unit = UnitFactory(code="SXD", name="Sở Xây dựng", short_name="SXD")
    absent_unit = UnitFactory(code="SYT", name="Sở Y tế", short_name="SYT")
    substitute_unit = UnitFactory(code="SGD", name="Sở Giáo dục và Đào tạo", short_name="SGDĐT")
    meeting = make_meeting(
        by=clerk,
        title="Họp thông qua kế hoạch đầu tư công năm 2027",
        units=[department, online_unit, absent_unit, substitute_unit],
        secretary=secretary,
        chair=chair.person,
    )
    publish(meeting, clerk)
    invitations = {i.unit_id: i for i in meeting.invitations.all()}
    for unit, status, extra in (
        (department, "present", {}),
        (online_unit, "online", {}),
        (absent_unit, "absent", {"reason": "Đi công tác Hà Nội"}),
        (
            substitute_unit,
            "substitute",
            {"substitute_name": "Lê Thị Dự Thay", "substitute_position": "Phó Giám đốc"},
        ),
    ):
        Presence.objects.create(
            invitation=invitations[unit.pk], status=status, marked_by=secretary, **extra
        )
    meeting.agenda_items.all().delete()  # the ones made from the agenda's text
    first = AgendaItem.objects.create(
        meeting=meeting, position=1, title="Báo cáo kế hoạch đầu tư công", presenter="Sở Tài chính"
    )
    AgendaItem.objects.create(meeting=meeting, position=2, title="Thảo luận và biểu quyết")
    Speech.objects.create(
        meeting=meeting,
        item=first,
        user=role_users["unit_leader"],
        invitation=invitations[department.pk],
        speaker_name="Phạm Văn Phát Biểu",
        speaker_for="Sở Tài chính",
        status=Speech.Status.DONE,
        started_at=timezone.now(),
        ended_at=timezone.now(),
    )
    summary_save(meeting=meeting, by=secretary, body="Các đơn vị thống nhất với dự thảo kế hoạch.")
    vote = voting.vote_open(
        meeting=meeting, by=secretary, question="Thông qua kế hoạch đầu tư công", agenda_item=first
    )
    options = list(vote.options.order_by("position"))
    voting.vote_cast(
        vote=vote,
        invitation=invitations[department.pk],
        by=role_users["unit_leader"],
        option_ids=[options[0].pk],
    )
    voting.vote_close(vote=vote, by=secretary)
    return {"meeting": meeting, "chair": chair, "vote": vote}


@pytest.fixture
def bare(role_users, department, office):
    """A published meeting with no agenda and nothing recorded in the room; its chair has no
    account. The office is invited too: its leaders see the meeting, so they may stand in."""
    chair = PersonFactory(full_name="Nguyễn Chưa Có Tài Khoản", position="Chủ tịch", unit=office)
    meeting = make_meeting(
        by=role_users["clerk"],
        title="Họp giao ban Văn phòng",
        agenda="",
        units=[department, office],
        secretary=role_users["secretary"],
        chair=chair,
    )
    return publish(meeting, role_users["clerk"])
