"""The lists (meetings_visible_to, a UNION of index lookups) and the pages (may_see, asked of one
meeting) give the same answer for every kind of account and every way of taking part."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import (
    CommitteeFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from meetings.models import Meeting
from meetings.selectors import (
    dashboard_for,
    may_see,
    meetings_organised_by,
    meetings_visible_to,
    not_ended,
)
from meetings.tests.factories import make_meeting, publish

pytestmark = pytest.mark.django_db


def test_lists_and_pages_agree(role_users, department, other_department):
    clerk, secretary = role_users["clerk"], role_users["secretary"]
    committee = CommitteeFactory()
    member_person = PersonFactory(unit=department)
    MembershipFactory(committee=committee, person=member_person)
    chair = PersonFactory(unit=role_users["clerk"].unit)
    invited_person = PersonFactory(unit=other_department)
    accounts = {
        **role_users,
        "committee account": UserFactory(
            username="bcd", kind=User.Kind.COMMITTEE, committee=committee, unit=None
        ),
        "committee member": UserFactory(username="tv", person=member_person, unit=department),
        "chair": UserFactory(username="ct", person=chair, unit=clerk.unit),
        "invited person": UserFactory(username="cn", person=invited_person, unit=other_department),
        "other organiser": UserFactory(
            username="vt2", role=User.Role.CLERK, unit=UnitFactory(may_organise=True)
        ),
        "no unit": UserFactory(username="nounit", unit=None),
    }
    other = accounts["other organiser"]
    made = {
        "draft": make_meeting(by=clerk, units=[department]),
        "unit": publish(make_meeting(by=clerk, units=[department]), clerk),
        "committee": publish(make_meeting(by=clerk, committees=[committee]), clerk),
        "person": publish(make_meeting(by=clerk, persons=[invited_person]), clerk),
        "secretary": publish(
            make_meeting(by=other, units=[other_department], secretary=secretary), other
        ),
        "secretary draft": make_meeting(by=other, secretary=secretary),
        "chair": publish(make_meeting(by=other, units=[other_department], chair=chair), other),
        "other unit": publish(make_meeting(by=other, units=[other_department]), other),
        "other draft": make_meeting(by=other, units=[department]),
        "deleted": publish(make_meeting(by=clerk, units=[department]), clerk),
    }
    Meeting.objects.filter(pk=made["deleted"].pk).update(deleted_at=timezone.now())
    meetings = list(Meeting.objects.all())
    seen_by_someone = set()
    for name, user in accounts.items():
        listed = set(meetings_visible_to(user).values_list("pk", flat=True))
        opened = {m.pk for m in meetings if may_see(user, m)}
        assert listed == opened, name
        seen_by_someone |= listed
    labels = {m.pk: label for label, m in made.items()}
    # Every kind of meeting is seen by someone, and the deleted one by nobody.
    assert {labels[pk] for pk in seen_by_someone} == set(made) - {"deleted"}
    unit = set(meetings_visible_to(role_users["unit_clerk"]).values_list("pk", flat=True))
    assert {labels[pk] for pk in unit} == {"unit"}
    committee_seen = meetings_visible_to(accounts["committee member"])
    assert {labels[m.pk] for m in committee_seen} == {"unit", "committee"}
    assert {labels[m.pk] for m in meetings_visible_to(secretary)} >= {"secretary"}
    assert "secretary draft" not in {labels[m.pk] for m in meetings_visible_to(secretary)}
    assert {labels[m.pk] for m in meetings_visible_to(accounts["chair"])} >= {"chair"}
    # A calendar's days (calendars.selectors): the invitations read from their start index give
    # the same meetings as the whole list's within those days, for every account.
    for n, meeting in enumerate(meetings):
        shift = timedelta(days=2 * n)
        Meeting.objects.filter(pk=meeting.pk).update(
            start_at=F("start_at") + shift, end_at=F("end_at") + shift
        )
    first = min(Meeting.objects.values_list("start_at", flat=True))
    windows = [(first + timedelta(days=d), first + timedelta(days=d + 7)) for d in (-7, 0, 5, 13)]
    found = 0
    for name, user in accounts.items():
        for since, before in windows:
            days = set(
                meetings_visible_to(user, starts_from=since, starts_before=before).values_list(
                    "pk", flat=True
                )
            )
            whole = meetings_visible_to(user).filter(start_at__gte=since, start_at__lt=before)
            assert days == set(whole.values_list("pk", flat=True)), (name, since)
            found += len(days)
    assert found


def test_the_dashboard_lists_what_the_account_takes_part_in(role_users, department):
    """The dashboard's invitee lists: published meetings the account may see and does not
    organise; for an admin with every right (superuser), every such meeting."""
    clerk = role_users["clerk"]
    published = publish(make_meeting(by=clerk, units=[department]), clerk)
    make_meeting(by=clerk, title="Dự thảo khác", units=[department])

    def listed(user):
        board = dashboard_for(user)
        return {m.pk for rows in (board.today, board.week, board.upcoming) for m in rows}

    assert listed(role_users["unit_clerk"]) == {published.pk}
    assert listed(role_users["outsider"]) == set()
    assert listed(clerk) == set()  # its own: under "meetings I organise", not here
    # The IT centre's admin takes no part in the meeting: it is not on the admin's board.
    it_centre = UserFactory(username="root", role=User.Role.ADMIN, unit=None)
    assert not it_centre.is_superuser
    assert listed(it_centre) == set()


def test_the_organised_list_keeps_meetings_still_going_in_start_order(role_users):
    """The dashboard's "organised" list reads the meetings still going and the later ones in two
    parts; together they are the first meetings in start order that end after the cut-off."""
    clerk = role_users["clerk"]
    now = timezone.now().replace(second=0, microsecond=0)
    for name, start, hours in [
        ("ended", -50, 2),
        ("three days, still going", -49, 72),
        ("later", 5, 2),
        ("later still", 30, 2),
        ("started an hour ago", -1, 3),
    ]:
        m = make_meeting(by=clerk, title=name)
        Meeting.objects.filter(pk=m.pk).update(
            start_at=now + timedelta(hours=start), end_at=now + timedelta(hours=start + hours)
        )
    since = now - timedelta(hours=24)
    organised = meetings_organised_by(clerk)
    assert [m.title for m in not_ended(organised, since, 10)] == [
        "three days, still going",
        "started an hour ago",
        "later",
        "later still",
    ]
    assert [m.title for m in not_ended(organised, since, 3)] == [
        "three days, still going",
        "started an hour ago",
        "later",
    ]
    assert [m.title for m in not_ended(organised, since, 1)] == ["three days, still going"]


def test_the_office_query_and_the_office_rule_agree(role_users, department, other_department):
    """office_q (task boards) and is_office (the notice's rule) answer alike for every account:
    the creator, the secretary, and the organising unit's clerk and leader; nobody else."""
    from meetings.selectors import is_office, office_q

    clerk, secretary = role_users["clerk"], role_users["secretary"]
    office_leader = UserFactory(username="ldvp", role=User.Role.UNIT_LEADER, unit=clerk.unit)
    other = UserFactory(username="vt3", role=User.Role.CLERK, unit=UnitFactory(may_organise=True))
    made = {
        "own": publish(make_meeting(by=clerk, units=[department]), clerk),
        "with secretary": publish(
            make_meeting(by=other, units=[other_department], secretary=secretary), other
        ),
        "other unit's": publish(make_meeting(by=other, units=[department]), other),
    }
    accounts = {**role_users, "office leader": office_leader, "other clerk": other}
    expected = {
        "clerk": {"own"},
        "office leader": {"own"},
        "secretary": {"with secretary"},
        "other clerk": {"with secretary", "other unit's"},
    }
    for name, user in accounts.items():
        queried = {
            label
            for label, m in made.items()
            if Meeting.objects.filter(office_q(user), pk=m.pk).exists()
        }
        ruled = {label for label, m in made.items() if is_office(user, m)}
        assert queried == ruled == expected.get(name, set()), name


def test_the_dashboard_reads_the_invited_meetings_by_their_start(role_users, department):
    """A unit's "not ended" list is the meetings going on across midnight (any length) and those
    starting today or later, in start order; its "recently past" list the latest ended, from
    the last weeks first and from the whole past when those are too few. Moved by an UPDATE of
    the table, a meeting moves in the lists (the start kept beside its invitations)."""
    clerk, unit = role_users["clerk"], role_users["unit_clerk"]
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    made = {}
    for name, start, hours in [
        ("a year ago", -365 * 24, 2),
        ("two months ago", -60 * 24, 2),
        ("last week", -7 * 24, 2),
        ("four days, since the day before yesterday", -36, 96),
        ("today at nine", 9, 2),
        ("in three weeks", 21 * 24, 2),
    ]:
        meeting = publish(make_meeting(by=clerk, title=name, units=[department]), clerk)
        Meeting.objects.filter(pk=meeting.pk).update(
            start_at=today + timedelta(hours=start), end_at=today + timedelta(hours=start + hours)
        )
        made[name] = meeting.pk

    def board(past_limit: int = 10) -> tuple[list[str], list[str]]:
        got = dashboard_for(unit, past_limit=past_limit)
        current = [m.title for rows in (got.today, got.week, got.upcoming) for m in rows]
        return current, [m.title for m in got.past]

    current, past = board()
    assert current == [
        "four days, since the day before yesterday",
        "today at nine",
        "in three weeks",
    ]
    assert past == ["last week", "two months ago", "a year ago"]
    assert board(past_limit=1)[1] == ["last week"]
    # The one in three weeks moved to last month: out of "not ended", into the past.
    Meeting.objects.filter(pk=made["in three weeks"]).update(
        start_at=today - timedelta(days=30), end_at=today - timedelta(days=30, hours=-2)
    )
    current, past = board()
    assert current == ["four days, since the day before yesterday", "today at nine"]
    assert past == ["last week", "in three weeks", "two months ago", "a year ago"]


def test_the_kept_visibility_follows_the_account_and_the_rows(
    role_users, department, other_department
):
    """meetings_visible_to is built once per account and process: what it keeps is a question,
    never its answer (a meeting published after a read is in the next), and an account whose
    unit, committee or person changes is asked with its new ones."""
    clerk, member = role_users["clerk"], role_users["member"]
    first = publish(make_meeting(by=clerk, units=[department]), clerk)
    seen = meetings_visible_to(member)
    assert list(seen) == [first]
    assert list(seen.filter(pk=-1)) == []  # a filter on it leaves it as it was
    second = publish(make_meeting(by=clerk, units=[department]), clerk)
    assert set(meetings_visible_to(member)) == {first, second}

    elsewhere = publish(make_meeting(by=clerk, units=[other_department]), clerk)
    member.unit = other_department
    assert list(meetings_visible_to(member)) == [elsewhere]
    member.unit = department
    assert set(meetings_visible_to(member)) == {first, second}

    committee = CommitteeFactory()
    person = PersonFactory(unit=department)
    by_committee = publish(make_meeting(by=clerk, committees=[committee]), clerk)
    member.person = person
    assert by_committee not in set(meetings_visible_to(member))
    MembershipFactory(committee=committee, person=person)  # asked when read, not when built
    assert by_committee in set(meetings_visible_to(member))
