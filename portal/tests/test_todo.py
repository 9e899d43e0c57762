"""The to-do list ("Việc cần làm") on the dashboard and its count in the top menu: each kind of row
shows for the account that has to act and nobody else, and goes once done; the list and the
count cost the same number of queries with 1 and with 30 rows of each kind."""

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import kept
from accounts.models import User
from accounts.rules import answered_by
from accounts.tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, UserFactory
from attendance.models import Presence
from attendance.selectors import todo_items
from attendance.services import NamedAttendee, reply_set
from exports.models import ExportRequest
from exports.services import export_approve, export_request
from meetings import selectors as meetings_selectors
from meetings.models import Invitation, Meeting
from meetings.selectors import dashboard_for, may_see, meeting_for
from meetings.tests.factories import catalog
from minutes.models import Minutes, MinutesVersion
from opinions.models import OpinionRequest, Question, Recipient
from opinions.services import Addressees, Given, answer_submit, request_create, request_send
from opinions.templatetags.opinions_tags import opinions_waiting
from portal import todo
from portal.todo import COUNT_ALIAS, COUNTED, SOURCE_LIMIT, todo_count, todo_for
from room import selectors as room_selectors
from room.selectors import calls_for, floor_identities
from room.templatetags import room_tags
from room.templatetags.room_tags import room_calls
from tasks.models import Notice, Task
from tasks.services import TaskData, task_accept, task_report
from tasks.templatetags.tasks_tags import unit_tasks_block
from tasks.tests.conftest import make_notice
from voting.models import Vote
from voting.services import vote_cast, vote_open

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("portal:dashboard")
# What only the to-do count's query selects: its counts, each named after its kind.
COUNT_QUERY = f'AS "{COUNT_ALIAS}'


def kinds(user: User) -> list[str]:
    return [item.kind for item in todo_for(user)]


def board(client: Client) -> str:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def test_nothing_to_do(client_for, role_users):
    page = board(client_for("member"))
    assert "Việc cần làm (0)" in page
    assert "Không có việc nào cần làm" in page
    assert "todo-badge" not in page and "việc cần làm</span>" not in page
    assert todo_count(role_users["member"]) == 0


# ---- invitations to reply to (attendance) -------------------------------------------------------


def test_invitation_to_reply_for_the_unit_managers_only(client_for, role_users, meetings):
    meeting = meetings["published"]
    for role in ("unit_leader", "unit_clerk"):
        assert kinds(role_users[role]) == ["attendance_reply"], role
    for role in ("member", "outsider", "clerk", "secretary", "admin"):
        assert "attendance_reply" not in kinds(role_users[role]), role
    page = board(client_for("unit_leader"))
    assert "Việc cần làm (1)" in page and "Cử người dự họp" in page
    assert reverse("attendance:reply", args=[meeting.pk]) in page
    assert 'aria-hidden="true">1</span>' in page and "1 việc cần làm" in page

    invitation = Invitation.objects.get(meeting=meeting, unit=role_users["unit_leader"].unit)
    reply_set(
        invitation=invitation,
        by=role_users["unit_clerk"],
        declined=False,
        attendees=[NamedAttendee(full_name="Nguyễn Văn Dự")],
    )
    assert kinds(role_users["unit_leader"]) == []
    assert "Không có việc nào cần làm" in board(client_for("unit_leader"))


def test_no_reply_asked_once_the_meeting_started(role_users, meetings):
    Meeting.objects.filter(pk=meetings["published"].pk).update(
        start_at=timezone.now() - timedelta(minutes=5)
    )
    assert kinds(role_users["unit_leader"]) == []


# ---- tasks: due, then reported and accepted ------------------------------------------------


@pytest.fixture
def notice(role_users, meetings, department, other_department):
    today = timezone.localdate()
    return make_notice(
        meetings["published"],
        role_users["clerk"],
        [
            TaskData(
                title="Rà soát kế hoạch vốn đầu tư công",
                unit=department,
                deadline=today + timedelta(days=3),
                cooperating=[other_department],
            ),
            TaskData(
                title="Báo cáo tiến độ dự án trọng điểm",
                unit=other_department,
                deadline=today + timedelta(days=20),
            ),
        ],
    )


def reply_all(meeting, by):
    for invitation in Invitation.objects.filter(meeting=meeting, unit=by.unit):
        reply_set(invitation=invitation, by=by, declined=True, reason="Trùng lịch")


def test_task_due_then_reported_then_accepted(client_for, role_users, meetings, notice):
    leader, clerk = role_users["unit_leader"], role_users["clerk"]
    reply_all(meetings["published"], leader)
    mine = notice.tasks.get(unit=leader.unit)
    assert kinds(leader) == ["task_due"]
    assert kinds(role_users["member"]) == ["task_due"]
    # The other department cooperates on the task and has its own due in 20 days: neither shows.
    assert "task_due" not in kinds(role_users["outsider"])
    assert "task_accept" not in kinds(clerk)
    page = board(client_for("unit_leader"))
    assert "Báo cáo nhiệm vụ" in page and mine.title in page
    assert reverse("tasks:detail", args=[mine.pk]) + "#report-heading" in page

    task_report(task=mine, by=leader, note="Đã hoàn thành rà soát.", done=True)
    assert kinds(leader) == []
    # The meeting's office decides: its organiser and its secretary.
    assert kinds(clerk) == ["task_accept"]
    assert kinds(role_users["secretary"]) == ["task_accept"]
    for role in ("unit_leader", "member", "outsider", "admin"):
        assert "task_accept" not in kinds(role_users[role]), role
    page = board(client_for("clerk"))
    assert "Xác nhận kết quả nhiệm vụ" in page
    assert reverse("tasks:detail", args=[mine.pk]) + "#decide-heading" in page

    task_accept(task=Task.objects.get(pk=mine.pk), by=clerk)
    assert kinds(clerk) == []


def test_overdue_task_comes_first(role_users, meetings, notice):
    leader = role_users["unit_leader"]
    mine = notice.tasks.get(unit=leader.unit)
    Task.objects.filter(pk=mine.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    items = todo_for(leader)
    assert [i.kind for i in items] == ["task_due", "attendance_reply"]
    assert items[0].is_overdue(timezone.now()) and not items[1].is_overdue(timezone.now())


# ---- written opinions -------------------------------------------------------------------------


def make_opinion(by, units, hours=48):
    request = request_create(
        by=by,
        title="Góp ý dự thảo quy chế làm việc",
        description="",
        deadline=timezone.now() + timedelta(hours=hours),
        questions=["Anh/chị có đồng ý với dự thảo?"],
        addressees=Addressees(units=units),
    )
    return request_send(request=request, by=by)


def test_opinion_to_answer(client_for, role_users, department):
    request = make_opinion(role_users["clerk"], [department])
    assert kinds(role_users["unit_leader"]) == ["opinion_answer"]
    assert kinds(role_users["unit_clerk"]) == ["opinion_answer"]
    for role in ("member", "outsider", "clerk", "admin"):
        assert kinds(role_users[role]) == [], role
    recipient = Recipient.objects.get(request=request)
    page = board(client_for("unit_leader"))
    assert "Trả lời phiếu lấy ý kiến" in page
    assert reverse("opinions:detail", args=[request.pk]) + f"#answer-{recipient.pk}" in page

    question = Question.objects.get(request=request)
    answer_submit(
        recipient=recipient,
        by=role_users["unit_leader"],
        given=[Given(question_id=question.pk, choice="agree")],
    )
    assert kinds(role_users["unit_leader"]) == []
    assert kinds(role_users["unit_clerk"]) == []


def test_opinion_past_its_deadline_is_not_asked(role_users, department):
    request = make_opinion(role_users["clerk"], [department])
    OpinionRequest.objects.filter(pk=request.pk).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    assert kinds(role_users["unit_leader"]) == []


# ---- votes -------------------------------------------------------------------------------------


def test_vote_open_now(client_for, role_users, meetings):
    meeting = meetings["published"]
    reply_all(meeting, role_users["unit_leader"])
    vote = vote_open(
        meeting=meeting,
        by=role_users["secretary"],
        question="Thông qua kế hoạch năm",
        electorate=Vote.Electorate.INVITED,
    )
    assert kinds(role_users["unit_leader"]) == ["vote_cast"]
    for role in ("member", "outsider", "clerk", "secretary", "admin"):
        assert kinds(role_users[role]) == [], role
    page = board(client_for("unit_clerk"))
    assert "Biểu quyết" in page and reverse("voting:detail", args=[vote.pk]) in page

    invitation = Invitation.objects.get(meeting=meeting, unit=role_users["unit_leader"].unit)
    vote_cast(
        vote=vote,
        invitation=invitation,
        by=role_users["unit_leader"],
        option_ids=[vote.options.first().pk],
    )
    assert kinds(role_users["unit_leader"]) == []
    assert kinds(role_users["unit_clerk"]) == []


def test_vote_of_those_present_asks_only_the_present(role_users, meetings):
    meeting = meetings["published"]
    reply_all(meeting, role_users["unit_leader"])
    vote_open(meeting=meeting, by=role_users["secretary"], question="Thông qua kế hoạch năm")
    assert kinds(role_users["unit_leader"]) == []


# ---- archive exports ---------------------------------------------------------------------------


def test_export_to_decide(client_for, role_users, meetings):
    day = timezone.localdate(meetings["published"].start_at)
    export = export_request(
        by=role_users["clerk"], date_from=day, date_to=day, purpose="Lưu trữ hồ sơ họp"
    )
    assert kinds(role_users["admin"]) == ["export_decide"]
    for role in ("clerk", "secretary", "unit_leader", "member", "outsider"):
        assert "export_decide" not in kinds(role_users[role]), role
    office_leader = UserFactory(role=User.Role.UNIT_LEADER, unit=role_users["clerk"].unit)
    assert kinds(office_leader) == ["export_decide"]
    page = board(client_for("admin"))
    assert "Phê duyệt kết xuất hồ sơ" in page
    assert reverse("exports:decide", args=[export.pk]) in page

    export_approve(export=export, by=role_users["admin"])
    assert kinds(role_users["admin"]) == []
    assert kinds(office_leader) == []


# ---- the count, the order and the cost -----------------------------------------------------------


def test_count_matches_the_list_and_the_badge(client_for, role_users, meetings, notice, department):
    make_opinion(role_users["clerk"], [department])
    leader = role_users["unit_leader"]
    assert sorted(kinds(leader)) == ["attendance_reply", "opinion_answer", "task_due"]
    assert todo_count(leader) == 3
    page = board(client_for("unit_leader"))
    assert "Việc cần làm (3)" in page and "3 việc cần làm" in page
    # Another page shows the menu's count too, for one query (every source counted at once).
    with CaptureQueriesContext(connection) as queries:
        other = client_for("unit_leader").get(reverse("meetings:list")).content.decode()
    assert 'aria-hidden="true">3</span>' in other and "3 việc cần làm" in other
    assert [COUNT_QUERY in q["sql"] for q in queries].count(True) == 1
    # A page without the menu's link counts nothing: an anonymous visitor's.
    with CaptureQueriesContext(connection) as queries:
        Client().get(reverse("portal:help"))
    assert not [q for q in queries if COUNT_QUERY in q["sql"]]


def grow(leader: User, n: int, since: int) -> None:
    """n rows of every kind for the office's leader, who chairs the office's meetings: minutes to
    approve, tasks to accept and due, opinions to answer, invitations to reply to, votes open,
    exports to decide. Written as rows, as the services would leave them."""
    office, clerk = leader.unit, User.objects.get(username="clerk1")
    now = timezone.now()
    kinds_ = catalog()
    made = Meeting.objects.bulk_create(
        Meeting(
            title=f"Họp số {since + i}",
            start_at=now + timedelta(days=2, hours=i),
            end_at=now + timedelta(days=2, hours=i + 1),
            organiser_unit=office,
            created_by=clerk,
            chair_id=leader.person_id,
            status=Meeting.Status.PUBLISHED,
            published_at=now,
            **kinds_,
        )
        for i in range(n)
    )
    Invitation.objects.bulk_create(Invitation(meeting=m, unit=office) for m in made)
    for meeting in made:
        minutes = Minutes.objects.create(meeting=meeting)
        MinutesVersion.objects.create(minutes=minutes, number=1, subject="Biên bản", by=clerk)
    notice = Notice.objects.create(
        meeting=made[0], body="Kết luận.", status="issued", created_by=clerk, issued_at=now
    )
    today = timezone.localdate()
    for status in (Task.Status.REPORTED, Task.Status.OPEN):
        Task.objects.bulk_create(
            Task(
                notice=notice,
                title=f"Nhiệm vụ {status} {since + i}",
                unit=office,
                deadline=today + timedelta(days=i % 9 - 1),
                status=status,
                is_issued=True,
            )
            for i in range(n)
        )
    for i in range(n):
        request = OpinionRequest.objects.create(
            title=f"Phiếu {since + i}",
            deadline=now + timedelta(days=3),
            status=OpinionRequest.Status.SENT,
            organiser_unit=office,
            created_by=clerk,
            sent_at=now,
        )
        Recipient.objects.create(request=request, unit=office)
    Vote.objects.bulk_create(
        Vote(
            meeting=made[0],
            question=f"Biểu quyết {since + i}",
            electorate=Vote.Electorate.INVITED,
            opened_by=clerk,
        )
        for i in range(n)
    )
    ExportRequest.objects.bulk_create(
        ExportRequest(
            requested_by=clerk,
            unit=office,
            date_from=today,
            date_to=today,
            purpose=f"Lưu trữ {since + i}",
        )
        for i in range(n)
    )


KINDS = {
    "minutes_approve",
    "task_accept",
    "task_due",
    "opinion_answer",
    "attendance_reply",
    "vote_cast",
    "export_decide",
}


def office_leader(role_users) -> tuple[User, Client]:
    """The office's leader, who chairs its meetings (`grow` gives it rows), signed in."""
    leader = UserFactory(
        username="vpleader",
        role=User.Role.UNIT_LEADER,
        unit=role_users["clerk"].unit,
        person=PersonFactory(unit=role_users["clerk"].unit),
    )
    client = Client()
    client.force_login(leader)
    return leader, client


def test_queries_do_not_grow(role_users):
    leader, client = office_leader(role_users)

    def measure() -> tuple[int, int, int, int]:
        with CaptureQueriesContext(connection) as listed:
            items = todo_for(leader)
        with CaptureQueriesContext(connection) as counted:
            total = todo_count(leader)
        assert {item.kind for item in items} == KINDS
        assert total == len(items)
        with CaptureQueriesContext(connection) as page:
            response = client.get(DASHBOARD)
        assert f"Việc cần làm ({total})" in response.content.decode()
        return len(listed), len(counted), len(page), total

    grow(leader, 1, 0)
    # What the first request of a session reads and keeps for a while (whether the account has
    # an authenticator, accounts.two_factor) is read before the pages compared.
    client.get(DASHBOARD)
    one = measure()
    assert set(COUNTED) == KINDS  # every kind listed is one the count knows
    # As many rows of each kind as a source lists before it may have left some out.
    grow(leader, SOURCE_LIMIT - 2, 1)
    many = measure()
    assert one[3] == 7 and many[3] == 7 * (SOURCE_LIMIT - 1)
    assert one[:3] == many[:3], f"queries with 1 row of each kind {one}, with more {many}"
    # One query a source for the list, one for the count, whatever the data.
    assert one[0] == 7 and one[1] == 1


def test_the_dashboard_counts_only_what_its_list_may_have_left_out(role_users):
    """A whole list (each kind below its source's limit) is its own count: the dashboard runs no
    counting query. A kind at its limit is counted in SQL, alone; the others count as listed.
    The rows left out are said to be there."""
    leader, client = office_leader(role_users)

    def dashboard() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as page:
            html = board(client)
        return html, [q["sql"] for q in page if COUNT_QUERY in q["sql"]]

    grow(leader, 3, 0)
    html, counting = dashboard()
    assert todo_count(leader) == 7 * 3
    assert "Việc cần làm (21)" in html and counting == []
    assert "Còn việc khác" not in html
    # More exports to decide than the list shows: that kind alone is counted.
    ExportRequest.objects.bulk_create(
        ExportRequest(
            requested_by=User.objects.get(username="clerk1"),
            unit=leader.unit,
            date_from=timezone.localdate(),
            date_to=timezone.localdate(),
            purpose=f"Lưu trữ thêm {i}",
        )
        for i in range(SOURCE_LIMIT)
    )
    html, counting = dashboard()
    total = 7 * 3 + SOURCE_LIMIT
    assert todo_count(leader) == total
    assert f"Việc cần làm ({total})" in html and "Còn việc khác" in html
    assert len(counting) == 1
    assert '"todo_export_decide"' in counting[0] and '"todo_vote_cast"' not in counting[0]
    # Every kind now has more rows than it lists.
    grow(leader, SOURCE_LIMIT, 3)
    html, counting = dashboard()
    total = 7 * (SOURCE_LIMIT + 3) + SOURCE_LIMIT
    assert todo_count(leader) == total
    assert f"Việc cần làm ({total})" in html and len(counting) == 1
    assert len(todo_for(leader)) < total and "Còn việc khác" in html


def test_order_overdue_then_due_then_newest(role_users, meetings, notice, department):
    leader = role_users["unit_leader"]
    Task.objects.filter(unit=leader.unit).update(deadline=timezone.localdate() - timedelta(days=2))
    make_opinion(role_users["clerk"], [department], hours=1)
    make_opinion(role_users["clerk"], [department], hours=300)
    day = timezone.localdate(meetings["published"].start_at)
    export_request(by=role_users["clerk"], date_from=day, date_to=day, purpose="Lưu trữ")
    office_leader = UserFactory(role=User.Role.UNIT_LEADER, unit=role_users["clerk"].unit)
    items = todo_for(leader)
    assert [i.kind for i in items] == [
        "task_due",  # overdue
        "opinion_answer",  # in an hour
        "attendance_reply",  # the meeting in 10 days
        "opinion_answer",  # in 300 hours
    ]
    assert [i.kind for i in todo_for(office_leader)] == ["export_decide"]


# ---- the menu's count: one statement kept for the accounts of a shape ---------------------------


def cast_of_shapes(role_users) -> list[User]:
    """Every role of the cast, and accounts of the other shapes: a chair with a person, a member
    of a committee (a committee's account and a person sitting on it), a person without a unit."""

    leader, _ = office_leader(role_users)
    committee = CommitteeFactory()
    sitting = PersonFactory(unit=role_users["member"].unit)
    MembershipFactory(committee=committee, person=sitting)
    return [
        *(role_users[role] for role in sorted(role_users)),
        leader,
        UserFactory(username="hoidong", role=User.Role.MEMBER, committee=committee),
        UserFactory(username="uyvien", role=User.Role.MEMBER, person=sitting, unit=None),
        UserFactory(username="khach", role=User.Role.MEMBER, unit=None),
    ]


def test_the_menu_count_kept_for_a_shape_is_each_accounts_own(
    role_users, meetings, notice, department, monkeypatch
):
    """The statement kept for a shape, each account's ids put in, is the one built for that
    account, and counts the same: for every shape of the cast, with rows of every kind."""
    make_opinion(role_users["clerk"], [department])
    cast = cast_of_shapes(role_users)
    grow(cast[len(role_users)], 2, 0)  # the office's leader, who chairs
    now = timezone.now().replace(second=0, microsecond=0)
    kept._statements.clear()
    counts = {}
    for user in cast:
        assert todo.kept_statement(user, now) == todo._statement(user, now), user.username
        counts[user.username] = todo._run(todo.kept_statement(user, now))
        assert counts[user.username] == todo_count(user, now), user.username
    # Each shape was kept, and rows of every kind counted for the accounts that have them.
    assert all(form is not None for form in kept._statements.values())
    assert counts["vpleader"] == 7 * 2 and counts["leader1"] == 3
    assert counts["member1"] == 1  # its unit's task due soon

    # A second account of a shape already kept builds nothing: its ids go into the statement.
    built = []
    real = todo._statement
    monkeypatch.setattr(todo, "_statement", lambda *args: built.append(args) or real(*args))
    other = UserFactory(username="member2", role=User.Role.MEMBER, unit=department)
    assert todo._run(todo.kept_statement(other, now)) == 1
    assert built == []
    assert todo.menu_count_of(other) == todo_count(other, now) == 1
    # The count of a menu sent on a page is this one.
    client = Client()
    client.force_login(role_users["unit_leader"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("meetings:list")).content.decode()
    assert 'aria-hidden="true">3</span>' in page
    assert [COUNT_QUERY in q["sql"] for q in queries].count(True) == 1


def test_the_dashboards_count_kept_for_a_shape_puts_in_the_time_as_well(
    role_users, meetings, notice, department, monkeypatch
):
    """The dashboard counts the kinds its list cut short at the request's own time, not the
    minute's: the statement kept for a shape takes that time where it takes the account's ids,
    and is the statement built for the account at that time, for every shape, kind by kind and
    for every kind. A kind that asks the day of the time (the tasks due soon) is not kept, and
    is built for the account as before."""
    make_opinion(role_users["clerk"], [department])
    cast = cast_of_shapes(role_users)
    grow(cast[len(role_users)], 2, 0)
    kept._statements.clear()
    moments = [timezone.now(), timezone.now() - timedelta(days=3, seconds=17)]
    for user in cast:
        for kinds in [*({kind} for kind in COUNTED), set(COUNTED)]:
            for now in moments:
                built = todo._statement(user, now, kinds)
                assert todo.kept_statement(user, now, kinds=kinds, timed=True) == built, (
                    user.username,
                    kinds,
                )
                assert todo._run(built) == todo_count(user, now, kinds)
    member = role_users["member"]  # its unit has a task due soon

    def form_of(user: User, kind: str) -> Any:
        (form,) = [
            form
            for (name, _, shape, *_), form in kept._statements.items()
            if name == ("portal.todo.count", frozenset({kind})) and shape == kept.shape_of(user)
        ]
        return form

    assert form_of(role_users["unit_leader"], "attendance_reply")[0]  # kept, and a statement
    assert form_of(member, "task_due") is None  # the day of the time: built each time
    # The time is in the form's places, not in its key: a later request builds nothing.
    built_again = []
    real = todo._statement
    monkeypatch.setattr(todo, "_statement", lambda *a: built_again.append(a) or real(*a))
    later = timezone.now() + timedelta(minutes=7, seconds=3)
    leader = role_users["unit_leader"]
    sql, params = todo.kept_statement(leader, later, kinds={"attendance_reply"}, timed=True)
    assert built_again == [] and connection.ops.adapt_datetimefield_value(later) in params


def test_a_statement_whose_building_reads_rows_or_changes_an_id_is_not_kept(
    role_users, meetings, monkeypatch
):
    """A kind whose rows, as built, depend on what the database holds for the account (read while
    building), or that uses an id otherwise than as it is, would not be the same for another
    account of the shape: the count is then built for each account, and still right."""
    member = role_users["member"]
    invited = Invitation.objects.filter(unit=member.unit).values_list("meeting_id", flat=True)
    assert invited
    now = timezone.now().replace(second=0, microsecond=0)
    reads = {
        **COUNTED,
        "read_while_building": lambda user, now: Meeting.objects.filter(
            pk__in=list(
                Invitation.objects.filter(unit_id=user.unit_id).values_list("meeting_id", flat=True)
            )
        ),
    }
    shifts = {**COUNTED, "id_shifted": lambda user, now: Meeting.objects.filter(pk=user.pk + 1)}

    def first_invited(user: User, now) -> Any:
        """Reads a row while building and, the read refused, goes on without it."""
        try:
            first = Invitation.objects.filter(unit_id=user.unit_id).order_by("id").first()
        except Exception:
            first = None
        return Meeting.objects.filter(pk=first.meeting_id if first else 0)

    swallows = {**COUNTED, "read_and_refusal_caught": first_invited}
    for kinds_ in (reads, shifts, swallows):
        monkeypatch.setattr(todo, "COUNTED", kinds_)
        kept._statements.clear()
        assert todo.kept_statement(member, now) == todo._statement(member, now)
        assert list(kept._statements.values()) == [None]
    monkeypatch.setattr(todo, "COUNTED", reads)
    assert todo.menu_count_of(member) == todo_count(member, now) == len(set(invited))


def _board_rows(user: User) -> dict[str, list[Any]]:
    """The dashboard's meetings, the banner's calls and whether it polls, the unit's tasks and
    their counts, the opinions waiting, and the meetings the account may open."""
    board_ = dashboard_for(user)
    rows: dict[str, list[Any]] = {
        part: [(m.pk, m.seen) for m in getattr(board_, part)]
        for part in ("new", "today", "week", "upcoming", "past", "organised")
    }
    rows["calls"] = [call.key for call in calls_for(user)]
    rows["polls"] = [room_calls({"request": SimpleNamespace(user=user)})["polls"]]
    tasks_block = unit_tasks_block({"user": user})
    rows["tasks"] = [tasks_block.get("counts"), [t.pk for t in tasks_block.get("rows", [])]]
    rows["opinions"] = [r.pk for r in opinions_waiting({"user": user})["rows"]]
    rows["may_see"] = [m.pk for m in Meeting.objects.order_by("pk") if may_see(user, m)]
    rows["opened"] = []
    for meeting in Meeting.objects.order_by("pk"):
        try:
            opened = meeting_for(user, meeting.pk)
        except Http404:
            continue
        rows["opened"].append((opened.pk, opened.title, opened.organiser_unit.name))
    rows["floor"] = [
        (meeting.pk, [(f.invitation.pk, f.name) for f in floor_identities(user, meeting)])
        for meeting in Meeting.objects.order_by("pk")
    ]
    return rows


def test_the_lists_read_from_queries_kept_for_a_shape_are_each_accounts_own(
    role_users, meetings, notice, department, monkeypatch
):
    """The to-do list's rows and the dashboard's meetings, read from the queries kept for each
    shape (accounts.kept) with the account's ids and the time put in, are those read from queries
    built for the account: for every shape of the cast, with rows of every kind, the kept queries
    made once per shape and reused for the next account of it."""
    make_opinion(role_users["clerk"], [department])
    cast = cast_of_shapes(role_users)
    grow(cast[len(role_users)], 2, 0)  # the office's leader, who chairs
    # A meeting going on, to the office (whose leader chairs) and to the member's unit.
    going = meetings["published"]
    Meeting.objects.filter(pk=going.pk).update(
        start_at=timezone.now() - timedelta(days=1), end_at=timezone.now() + timedelta(hours=2)
    )
    # The unit of the roles' department marked present there (the floor it may ask for).
    for invitation in Invitation.objects.filter(meeting=going, unit=department):
        Presence.objects.create(
            invitation=invitation, status=Presence.Status.PRESENT, marked_by=role_users["clerk"]
        )
    now = timezone.now()

    def hold_the_clock() -> None:
        # The banner and the dashboard's organised meetings ask the clock themselves for their
        # minute's window (part of their kept forms' keys): held at `now`, so that a slow run
        # crossing a minute does not make the second account's window another form, built for
        # it.
        held = SimpleNamespace(now=lambda: now, localtime=timezone.localtime)
        for module in (room_tags, room_selectors, meetings_selectors):
            monkeypatch.setattr(module, "timezone", held)

    hold_the_clock()
    kept.forget()
    made = {user.username: (todo_for(user, now), _board_rows(user)) for user in cast}
    forms = dict(kept._kept)
    # Every query of every shape was kept (none built for the account, which would pass alone).
    assert forms and all(form is not None for form in forms.values()), [
        key[0] for key, form in forms.items() if form is None
    ]
    names = {key[0] for key in forms}
    assert {"attendance.todo", "voting.todo", "tasks.todo_due", "opinions.todo"} <= names
    assert {"minutes.todo", "exports.todo", "meetings.going_on_at"} <= names
    assert {"dashboard._taking_part_marks.going_on", "dashboard._organised.later"} <= names
    assert "dashboard.shown" in names
    assert {"room.calls.votes", "room.calls.speeches", "room.calls.polls.going_on"} <= names
    assert "room.calls.polls.starting" in names
    assert {"tasks.unit_counts", "tasks.unit_not_done", "opinions.waiting"} <= names
    assert {"meetings.may_see", "meetings.meeting_for", "room.floor.present"} <= names
    # Built for each account instead: the same rows.
    monkeypatch.setattr(kept, "_rows_form", lambda *args: None)
    kept.forget()
    for user in cast:
        assert made[user.username] == (todo_for(user, now), _board_rows(user)), user.username
    assert all(form is None for form in kept._kept.values())
    # Rows of every kind were there to compare.
    assert len(made["vpleader"][0]) >= 2 * 7
    assert any(made[u.username][1]["today"] for u in cast)
    assert made["clerk1"][1]["organised"] and made["vpleader"][1]["calls"]
    boards = [made[u.username][1] for u in cast]
    assert any(b["polls"][0] for b in boards) and any(b["tasks"][1] for b in boards)
    assert any(b["opinions"] for b in boards) and any(b["may_see"] for b in boards)
    assert any(b["opened"] for b in boards) and any(f for b in boards for _, f in b["floor"])
    monkeypatch.undo()
    hold_the_clock()

    # A second account of a kept shape builds nothing: its ids go into the kept queries.
    kept._kept.clear()
    kept._kept.update(forms)
    other = UserFactory(username="member2", role=User.Role.MEMBER, unit=department)
    built = []
    real = kept._rows_form
    monkeypatch.setattr(kept, "_rows_form", lambda *args: built.append(args) or real(*args))
    rows = (todo_for(other, now), _board_rows(other))
    assert built == [], [key for key in kept._kept if key not in forms]
    monkeypatch.undo()
    kept.forget()
    monkeypatch.setattr(kept, "_rows_form", lambda *args: None)
    assert rows == (todo_for(other, now), _board_rows(other))
    assert rows[0] and rows[1]["today"]  # the task due, the meeting going on


def test_the_reply_rows_name_the_invitee_as_the_invitation_does(role_users):
    """A row to reply to names the invitee as the invitation itself does (`str(invitation)`):
    for an account that answers for its unit, for a committee and for a person. The names are
    the account's own, read at most once whatever the rows, not joined to each row."""
    leader, _ = office_leader(role_users)
    committee = CommitteeFactory(name="Ban chỉ đạo <b>chuyển đổi số</b>")
    sitting = PersonFactory(
        unit=role_users["member"].unit, full_name="Nguyễn Văn Ánh", position="Phó Giám đốc"
    )
    accounts = [
        leader,
        UserFactory(username="hoidong", role=User.Role.MEMBER, committee=committee),
        UserFactory(username="uyvien", role=User.Role.MEMBER, person=sitting, unit=None),
    ]
    now = timezone.now()
    made = Meeting.objects.bulk_create(
        Meeting(
            title=f"Họp số {i}",
            start_at=now + timedelta(days=2, hours=i),
            end_at=now + timedelta(days=2, hours=i + 1),
            organiser_unit=role_users["clerk"].unit,
            created_by=role_users["clerk"],
            status=Meeting.Status.PUBLISHED,
            published_at=now,
            **catalog(),
        )
        for i in range(3)
    )
    for meeting in made:
        Invitation.objects.bulk_create(
            [
                Invitation(meeting=meeting, unit=leader.unit),
                Invitation(meeting=meeting, committee=committee),
                Invitation(meeting=meeting, person=sitting),
            ]
        )
    for account in accounts:
        user = User.objects.select_related("unit").get(pk=account.pk)  # as a request reads it
        invitations = Invitation.objects.filter(answered_by(user), meeting__in=made)
        expected = [
            (f"Giấy mời {invitation}", reverse("attendance:reply", args=[invitation.meeting_id]))
            for invitation in invitations.order_by("meeting_start_at", "id")
        ]
        assert len(expected) == 3, account.username
        with CaptureQueriesContext(connection) as queries:
            rows = todo_items(user, now)
        assert [(row.about, row.url) for row in rows] == expected, account.username
        assert [row.due for row in rows] == [m.start_at for m in made]
        # The rows, joined to their meetings alone; then the committee's or the person's name
        # (the unit's came with the account).
        assert len(queries) == (1 if account is leader else 2), account.username
        read = queries[0]["sql"]
        assert "meetings_meeting" in read
        assert not any(f'"accounts_{table}"' in read for table in ("unit", "committee", "person"))
