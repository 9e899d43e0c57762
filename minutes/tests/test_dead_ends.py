"""Dead ends of the minutes found walking a meeting end to end: a meeting with nothing recorded
in the room, the approved version before the drafts, file names cut between words."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from minutes import exporting, services
from minutes.models import Minutes, MinutesVersion

pytestmark = pytest.mark.django_db


def _latest(minutes: Minutes) -> MinutesVersion:
    return minutes.versions.order_by("-number").first()  # type: ignore[return-value]


# ---- a meeting with nothing recorded -----------------------------------------------------------


def test_start_on_a_meeting_with_nothing_recorded(bare, role_users, client_for):
    client = client_for("secretary")
    response = client.post(reverse("minutes:start", args=[bare.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("minutes:edit", args=[bare.pk])
    minutes = Minutes.objects.get(meeting=bare)
    first = _latest(minutes)
    assert first.proceedings == "" and first.attendance
    # The secretary may keep a section empty while drafting ...
    edit = client.post(
        reverse("minutes:edit", args=[bare.pk]),
        {**first.text(), "conclusions": "Giao các phòng chuẩn bị.", "based_on": 1},
    )
    assert edit.status_code == 302 and minutes.versions.count() == 2
    # ... but the minutes are not approved without what happened at the meeting.
    leader = UserFactory(role=User.Role.UNIT_LEADER, unit=bare.organiser_unit)
    with pytest.raises(services.ValidationError) as refused:
        services.minutes_approve(minutes=minutes, by=leader, version=2, number="1/BB-X", place="")
    assert "nội dung cuộc họp" in str(refused.value)
    minutes.refresh_from_db()
    assert minutes.approved_version is None


# ---- after approval ----------------------------------------------------------------------------


def test_the_approved_version_comes_first_and_drafts_say_so(held, role_users, client_for):
    meeting = held["meeting"]
    minutes = services.minutes_start(meeting=meeting, by=role_users["secretary"])
    services.minutes_approve(
        minutes=minutes, by=held["chair"], version=1, number="9/BB-VP", place=""
    )
    client = client_for("secretary")
    url = reverse("minutes:detail", args=[meeting.pk])
    text = client.get(url).content.decode()
    approved_pdf = reverse("minutes:export", args=[meeting.pk, "pdf"])
    assert approved_pdf in text
    # The approved version is the latest: no draft files to offer.
    assert reverse("minutes:version_export", args=[meeting.pk, 1, "pdf"]) not in text
    assert "Dự thảo (PDF)" not in text
    services.minutes_save(
        minutes=minutes,
        by=role_users["secretary"],
        text={**_latest(minutes).text(), "conclusions": "Sửa sau phê duyệt"},
        based_on=1,
    )
    text = client.get(url).content.decode()
    draft_pdf = reverse("minutes:version_export", args=[meeting.pk, 2, "pdf"])
    assert text.index(approved_pdf) < text.index(draft_pdf)
    assert "Dự thảo phiên bản 2 (PDF)" in text
    versions = text[text.index("Các phiên bản") :]
    assert versions.index("dự thảo") < versions.index("đã phê duyệt")  # v2 listed first


def test_file_names_are_cut_between_words(held, role_users):
    meeting = held["meeting"]
    meeting.title = (
        "Họp thông qua kế hoạch đầu tư công trung hạn giai đoạn 2026–2030 của tỉnh và các huyện"
    )
    meeting.save()
    minutes = services.minutes_start(meeting=meeting, by=role_users["secretary"])
    name = exporting.file_name(minutes, _latest(minutes), "pdf")
    assert name == "bien-ban-họp-thông-qua-kế-hoạch-đầu-tư-công-trung-hạn-giai-đoạn-du-thao-v1.pdf"
    assert exporting.cut_at_word("một-hai-ba", 7) == "một-hai"
    assert exporting.cut_at_word("một-hai-ba", 6) == "một"
    assert exporting.cut_at_word("một-hai-ba", 8) == "một-hai"
    assert exporting.cut_at_word("Biên bản số 12", 10, " ") == "Biên bản"
    assert exporting.cut_at_word("mộthaiba", 5) == "mộtha"  # one long word: cut it
    assert exporting.cut_at_word("ngắn", 60) == "ngắn"
