"""Catalogs (A5): seeded Vietnamese defaults, admin create and edit, deactivation, audit."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from catalogs.models import DocumentType, Location, MeetingField, MeetingForm, MeetingType


@pytest.mark.django_db
def test_defaults_are_seeded_with_the_regulations_notice_days() -> None:
    assert MeetingType.objects.get(code="thuong-ky").min_notice_days == 3
    assert MeetingType.objects.get(code="bat-thuong").min_notice_days == 1
    assert MeetingType.objects.get(code="khan").min_notice_days == 1
    assert set(MeetingForm.objects.values_list("name", flat=True)) == {
        "Họp trực tiếp",
        "Họp trực tuyến",
        "Họp trực tiếp kết hợp trực tuyến",
    }
    assert {"Công văn", "Tờ trình", "Báo cáo", "Nghị quyết"} <= set(
        DocumentType.objects.values_list("name", flat=True)
    )
    assert MeetingField.objects.count() >= 10


@pytest.mark.django_db
def test_admin_creates_and_edits_a_meeting_type(client_for, role_users) -> None:
    admin = client_for("admin")
    response = admin.post(
        reverse("admin:catalogs_meetingtype_add"),
        {
            "code": "hoi-thao",
            "name": "Hội thảo",
            "min_notice_days": 5,
            "order": 70,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    item = MeetingType.objects.get(code="hoi-thao")
    assert item.min_notice_days == 5
    admin.post(
        reverse("admin:catalogs_meetingtype_change", args=[item.pk]),
        {
            "code": "hoi-thao",
            "name": "Hội thảo khoa học",
            "min_notice_days": 7,
            "order": 70,
            "is_active": "on",
        },
    )
    item.refresh_from_db()
    assert (item.name, item.min_notice_days) == ("Hội thảo khoa học", 7)
    actions = list(LogEntry.objects.get_for_object(item).values_list("action", flat=True))
    assert sorted(actions) == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]


@pytest.mark.django_db
def test_duplicate_catalog_name_is_refused(client_for, role_users) -> None:
    response = client_for("admin").post(
        reverse("admin:catalogs_meetingtype_add"),
        {
            "code": "khac",
            "name": "Họp thường kỳ",
            "min_notice_days": 3,
            "order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "đã tồn tại" in response.content.decode()
    assert not MeetingType.objects.filter(code="khac").exists()


@pytest.mark.django_db
def test_rooms_belong_to_a_unit_and_are_unique_per_unit(client_for, role_users, office) -> None:
    admin = client_for("admin")
    data = {"unit": office.pk, "name": "Phòng họp số 1", "capacity": 40, "is_active": "on"}
    assert admin.post(reverse("admin:catalogs_location_add"), data).status_code == 302
    again = admin.post(reverse("admin:catalogs_location_add"), data)
    assert again.status_code == 200
    assert Location.objects.filter(unit=office, name="Phòng họp số 1").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["meetingform", "meetingtype", "meetingfield", "documenttype", "documentfield"]
)
def test_catalog_entries_are_deactivated_not_deleted(client_for, role_users, model) -> None:
    admin = client_for("admin")
    changelist = reverse(f"admin:catalogs_{model}_changelist")
    from django.apps import apps

    entry = apps.get_model("catalogs", model).objects.first()
    assert admin.get(reverse(f"admin:catalogs_{model}_delete", args=[entry.pk])).status_code == 403
    admin.post(
        changelist, {"action": "deactivate_selected", "_selected_action": [entry.pk], "index": 0}
    )
    entry.refresh_from_db()
    assert not entry.is_active
    assert entry in type(entry).objects.all()
    assert entry not in type(entry).objects.active()
