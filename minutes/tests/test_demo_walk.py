"""A newcomer walks the minutes of a demo meeting without a shell: the secretary drafts them,
the chair signs in with the account `load_demo` printed and approves them from the dashboard."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from meetings.models import Meeting
from minutes.models import Minutes
from operations.management.commands.load_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

BRIEFING = "Họp giao ban Văn phòng UBND tỉnh"


def _signed_in(username: str) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def test_the_printed_chair_account_approves_the_briefings_minutes(settings):
    settings.DOCUMENT_PROCESSING = False  # the demo's files are not read here
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    usernames = set(re.findall(r"^  (\S+) ", printed, flags=re.MULTILINE))
    for title in ("Phiên họp thường kỳ UBND tỉnh tháng 11", BRIEFING):
        chair = Meeting.objects.get(title=title).chair
        assert chair is not None
        assert User.objects.filter(person=chair, is_active=True, username__in=usernames).exists()
    meeting = Meeting.objects.get(title=BRIEFING)
    chair_account = User.objects.get(person=meeting.chair)

    # The secretary drafts the minutes of a meeting with nothing recorded in the room, then
    # writes what happened.
    secretary = _signed_in("thuky")
    detail = reverse("minutes:detail", args=[meeting.pk])
    assert secretary.post(reverse("minutes:start", args=[meeting.pk])).status_code == 302
    page = secretary.get(detail).content.decode()
    assert f"{meeting.chair.full_name}, {meeting.chair.position}" in page  # who approves
    minutes = Minutes.objects.get(meeting=meeting)
    first = minutes.versions.get()
    saved = secretary.post(
        reverse("minutes:edit", args=[meeting.pk]),
        {
            **first.text(),
            "proceedings": "Các phòng báo cáo công việc tuần; Chánh Văn phòng giao việc.",
            "based_on": first.number,
        },
    )
    assert saved.status_code == 302

    # The chair finds them on the dashboard and approves them.
    chair = _signed_in(chair_account.username)
    board = chair.get(reverse("portal:dashboard")).content.decode()
    approve = reverse("minutes:approve", args=[meeting.pk])
    assert approve in board
    form = chair.get(approve).context["form"]
    done = chair.post(approve, {**form.initial, "place": "Tây Ninh"})
    assert done.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_by == chair_account and minutes.approved_version.number == 2
    assert approve not in chair.get(reverse("portal:dashboard")).content.decode()
