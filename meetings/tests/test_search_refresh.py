"""Renaming a unit, a room or a chair keeps the meetings that name them findable (S2)."""

import pytest
from django.urls import reverse

from accounts.models import Person
from catalogs.models import Location
from meetings.models import Meeting
from meetings.tests.factories import make_meeting, publish


@pytest.fixture
def meeting(role_users, department):
    clerk = role_users["clerk"]
    chair = Person.objects.create(full_name="Nguyễn Văn Chủ", unit=clerk.unit)
    made = make_meeting(by=clerk, title="Họp giao ban", units=[department], chair=chair)
    return publish(made, clerk)


def found(client, q: str, meeting: Meeting) -> bool:
    response = client.get(reverse("meetings:list"), {"q": q})
    assert response.status_code == 200
    return reverse("meetings:detail", args=[meeting.pk]) in response.content.decode()


def test_renamed_room_unit_and_chair_are_found(
    meeting, client_for, django_capture_on_commit_callbacks
):
    client = client_for("clerk")
    updated = Meeting.objects.get(pk=meeting.pk).updated_at
    assert not found(client, "phong hop mau xanh", meeting)

    with django_capture_on_commit_callbacks(execute=True):
        room = Location.objects.get(pk=meeting.location_id)
        room.name = "Phòng họp Màu Xanh"
        room.save()
    assert found(client, "phong hop mau xanh", meeting)

    with django_capture_on_commit_callbacks(execute=True):
        unit = meeting.organiser_unit
        unit.name = "Văn phòng Đoàn ĐBQH và HĐND tỉnh"
        unit.save()
    assert found(client, "doan dbqh", meeting)

    with django_capture_on_commit_callbacks(execute=True):
        chair = meeting.chair
        chair.full_name = "Trần Thị Đổi Tên"
        chair.save()
    assert found(client, "doi ten", meeting)
    assert not found(client, "nguyen van chu", meeting)
    # A rename is not a change to the meeting's record (retention counts from updated_at).
    assert Meeting.objects.get(pk=meeting.pk).updated_at == updated


def test_other_saves_do_not_touch_meetings(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        unit = meeting.organiser_unit
        unit.phone = "0276 3822 222"
        unit.save()
    assert callbacks == []


def test_the_refresh_runs_in_batches(meeting, role_users, department, monkeypatch):
    from meetings import search_refresh

    monkeypatch.setattr(search_refresh, "BATCH", 2)
    clerk = role_users["clerk"]
    for n in range(4):
        make_meeting(by=clerk, title=f"Họp thêm {n}", units=[department])
    Meeting.objects.update(search_public="", search_all="")
    assert search_refresh.refresh_meetings("accounts.Unit", clerk.unit_id) == 5
    assert Meeting.objects.filter(search_public="").count() == 0
