"""The history invitees read: what happened once the meeting was sent, not its drafting."""

import re

from django.urls import reverse

from meetings import selectors
from meetings.models import MeetingChange
from meetings.tests.factories import make_document, make_meeting, publish


def _history(page: str) -> str:
    return re.search(r'<ol class="list-unstyled small history">(.*?)</ol>', page, re.S).group(1)


def test_drafting_steps_are_for_the_organisers_only(role_users, department, client_for):
    clerk = role_users["clerk"]
    meeting = make_meeting(by=clerk, title="Họp dự thảo", units=[department])
    make_document(meeting, clerk, "Ban nhap.pdf")
    # A step recorded as visible while the meeting was still a draft (older rows, other apps).
    MeetingChange.objects.create(
        meeting=meeting, kind=MeetingChange.Kind.EDITED, by=clerk, summary="Sửa khi còn dự thảo"
    )
    publish(meeting, clerk)
    meeting.refresh_from_db()
    make_document(meeting, clerk, "Sau phat hanh.pdf")

    seen = selectors.history_for(role_users["member"], meeting)
    assert [c.kind for c in seen] == [
        MeetingChange.Kind.DOCUMENT_ADDED,
        MeetingChange.Kind.PUBLISHED,
    ]
    assert len(selectors.history_for(clerk, meeting)) == meeting.changes.count()

    member_page = client_for("member").get(reverse("meetings:detail", args=[meeting.pk]))
    history = _history(member_page.content.decode())
    assert "Sau phat hanh" in history and "Sửa khi còn dự thảo" not in history
    assert "Ban nhap" not in history
    clerk_page = client_for("clerk").get(reverse("meetings:detail", args=[meeting.pk]))
    assert "Sửa khi còn dự thảo" in _history(clerk_page.content.decode())
