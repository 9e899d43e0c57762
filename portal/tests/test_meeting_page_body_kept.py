"""The meeting page's body (below its title and the banner of calls) is kept for the reader within
the minute while nothing is written (core.kept_parts): the next request reads none of its rows; a
document added, an invitee added, another reader shows at once; the forms it holds carry each
request's own CSRF token. The data is committed in these tests (transaction=True), as in use."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import signed_in_client
from core import kept_parts
from meetings.models import AgendaItem, Invitation
from meetings.tests.factories import make_document, make_meeting, publish

pytestmark = pytest.mark.django_db(transaction=True)

# Tables only the body reads: the documents, the invitees' rows and the history.
BODY_TABLES = ("documents_document", "meetings_meetingchange", "attendance_reply")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visit(client, url) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200
    page = answer.content.decode()
    body = page.split('id="main"', 1)[1].split("</main>", 1)[0]
    return body, [q["sql"] for q in queries]


def body_reads(statements: list[str]) -> list[str]:
    return [sql for sql in statements if any(f'"{table}"' in sql for table in BODY_TABLES)]


def test_the_body_is_kept_for_its_reader_until_something_is_written(
    role_users, department, other_department
):
    clerk = role_users["clerk"]
    meeting = publish(make_meeting(by=clerk, title="Họp tổng kết", units=[department]), clerk)
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Báo cáo tổng kết")
    make_document(meeting, clerk, name="Báo cáo tổng kết năm.pdf")
    url = reverse("meetings:detail", args=[meeting.pk])
    organiser = signed_in_client(clerk, Client(enforce_csrf_checks=True))

    made, statements = visit(organiser, url)
    assert "Báo cáo tổng kết năm" in made and body_reads(statements)
    kept, statements = visit(organiser, url)
    assert body_reads(statements) == []
    # The same body, each form with this request's own token (never the marker).
    assert TOKEN.sub("", kept) == TOKEN.sub("", made)
    assert "\x00" not in kept
    tokens = TOKEN.findall(kept)
    assert tokens and set(tokens).isdisjoint(TOKEN.findall(made))

    # The kept page's form works: its token is this session's.
    document = meeting.documents.get()
    moved = organiser.post(
        reverse("documents:set_agenda_item", args=[document.pk]),
        {"csrfmiddlewaretoken": tokens[-1], "agenda_item": item.pk},
    )
    assert moved.status_code == 302
    document.refresh_from_db()
    assert document.agenda_item_id == item.pk

    # Written since: made again, with what changed.
    make_document(meeting, clerk, name="Phụ lục số liệu.pdf")
    again, statements = visit(organiser, url)
    assert "Phụ lục số liệu" in again and body_reads(statements)

    # Another reader: its own body (an invited unit sees no organiser's links).
    leader = signed_in_client(role_users["unit_leader"])
    theirs, _ = visit(leader, url)
    assert "Ghi chú thành phần mời" in again and "Ghi chú thành phần mời" not in theirs
    assert other_department.name not in theirs
    Invitation.objects.create(meeting=meeting, unit=other_department)
    after, statements = visit(leader, url)
    assert other_department.name in after


def test_tokens_are_taken_out_and_put_back():
    html = (
        '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>'
        '<div hx-headers=\'{"X-CSRFToken": "abc123"}\'></div>'
    )
    kept = kept_parts.without_tokens(html)
    assert "abc123" not in kept and kept.count(kept_parts.TOKEN_MARK) == 2
    assert kept_parts.without_tokens("<p>no form</p>") == "<p>no form</p>"
