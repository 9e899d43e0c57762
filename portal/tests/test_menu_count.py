"""The menu's to-do count on every page comes from the cache a short while: counted again at once
after a change of the account's votes or roll, after a form the account sent, and on the
dashboard; what others do for the account shows within MENU_COUNT_SECONDS."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attendance.services import NamedAttendee, reply_set
from meetings.models import Invitation, Meeting
from portal.menu_count import MENU_COUNT_SECONDS, _key
from portal.todo import COUNT_ALIAS, todo_count, todo_for
from voting.services import vote_cast, vote_open

pytestmark = pytest.mark.django_db

# What only the to-do count's query selects: its counts, each named after its kind.
COUNT_QUERY = f'AS "{COUNT_ALIAS}'
PAGE = reverse("accounts:account")


def badge(client) -> tuple[str, bool]:
    """The menu's count on a page, and whether the page counted it."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(PAGE).content.decode()
    menu = page.split('id="mainNav"', 1)[1].split("</nav>", 1)[0]
    shown = (
        menu.split("todo-badge", 1)[1].split(">", 1)[1].split("<", 1)[0]
        if "todo-badge" in menu
        else "0"
    )
    return shown, any(COUNT_QUERY in q["sql"] for q in queries)


def test_the_next_pages_read_the_count_from_the_cache(client_for, role_users, meetings):
    leader = client_for("unit_leader")
    assert badge(leader) == ("1", True)  # the invitation to reply to
    assert badge(leader) == ("1", False)
    assert cache.get(_key(role_users["unit_leader"].pk))[1] == 1


def test_a_form_the_account_sent_counts_it_again(client_for, role_users, meetings):
    leader = client_for("unit_leader")
    meeting = meetings["published"]
    assert badge(leader) == ("1", True)
    invitation = Invitation.objects.get(meeting=meeting, unit=role_users["unit_leader"].unit)
    answer = leader.post(
        reverse("attendance:reply", args=[meeting.pk]),
        {"invitation": invitation.pk, "name_1": "Lê Thị Hoa", "position_1": "Chuyên viên"},
    )
    assert answer.status_code == 302
    assert badge(leader) == ("0", True)


def test_a_colleague_s_reply_shows_within_the_time_and_at_once_on_the_dashboard(
    client_for, role_users, meetings
):
    leader = client_for("unit_leader")
    meeting = meetings["published"]
    assert badge(leader) == ("1", True)
    invitation = Invitation.objects.get(meeting=meeting, unit=role_users["unit_leader"].unit)
    reply_set(
        invitation=invitation,
        by=role_users["unit_clerk"],
        declined=False,
        attendees=[NamedAttendee(full_name="Nguyễn Văn Dự")],
    )
    assert badge(leader) == ("1", False)  # at most MENU_COUNT_SECONDS behind
    assert MENU_COUNT_SECONDS <= 30
    dashboard = leader.get(reverse("portal:dashboard")).content.decode()
    assert "Việc cần làm (0)" in dashboard and "todo-badge" not in dashboard
    assert badge(leader) == ("0", False)  # the dashboard's own count, kept


def test_a_ballot_cast_for_the_account_s_invitation_counts_at_once(
    client_for, role_users, meetings
):
    """A vote opened shows at once in the banner of calls, and in the menu's count within the
    time; the unit's ballot, cast by a colleague, takes it off the leader's count at once."""
    leader = client_for("unit_leader")
    meeting = meetings["published"]
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=now - timedelta(minutes=5), end_at=now + timedelta(hours=1)
    )
    meeting.refresh_from_db()
    vote = vote_open(
        meeting=meeting, by=role_users["secretary"], question="Thông qua?", electorate="invited"
    )
    cache.clear()
    shown, counted = badge(leader)
    assert counted and "vote_cast" in {i.kind for i in todo_for(role_users["unit_leader"])}
    invitation = Invitation.objects.get(meeting=meeting, unit=role_users["unit_leader"].unit)
    vote_cast(
        vote=vote,
        invitation=invitation,
        by=role_users["unit_clerk"],
        option_ids=[vote.options.order_by("position").first().pk],
    )
    after, counted = badge(leader)
    assert counted and int(after) == int(shown) - 1
    assert after == str(todo_count(role_users["unit_leader"]))
