"""The IT centre's admin pages for the organisation and accounts (A1, A2, A4, D3)."""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from accounts.models import Committee, CommitteeMembership, Person, Unit, User
from accounts.tests.factories import PersonFactory

XSS = '<script>alert("x")</script>'


def action(client: Client, model: str, name: str, pks: list[int]):
    return client.post(
        reverse(f"admin:accounts_{model}_changelist"),
        {"action": name, "_selected_action": [str(pk) for pk in pks], "index": 0},
        REMOTE_ADDR="10.9.8.7",
    )


@pytest.mark.django_db
def test_admin_creates_a_unit_and_the_audit_log_has_who_what_where(client_for, role_users) -> None:
    admin = client_for("admin")
    response = admin.post(
        reverse("admin:accounts_unit_add"),
        {
            "code": "SNV",
            "name": "Sở Nội vụ",
            "short_name": "SNV",
            "kind": "department",
            "order": 10,
            "is_active": "on",
            "may_organise": "",
        },
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="SNV")
    entry = LogEntry.objects.get_for_object(unit).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == role_users["admin"]
    assert entry.remote_addr == "10.9.8.7"
    assert entry.changes_dict["name"] == ["None", "Sở Nội vụ"]

    admin.post(
        reverse("admin:accounts_unit_change", args=[unit.pk]),
        {
            "code": "SNV",
            "name": "Sở Nội vụ tỉnh",
            "short_name": "SNV",
            "kind": "department",
            "order": 10,
            "is_active": "on",
            "may_organise": "on",
        },
    )
    update = LogEntry.objects.get_for_object(unit).filter(action=LogEntry.Action.UPDATE).get()
    assert update.changes_dict["name"] == ["Sở Nội vụ", "Sở Nội vụ tỉnh"]
    assert update.changes_dict["may_organise"] == ["False", "True"]


@pytest.mark.django_db
def test_duplicate_unit_code_gets_a_clear_message_and_changes_nothing(
    client_for, department
) -> None:
    response = client_for("admin").post(
        reverse("admin:accounts_unit_add"),
        {
            "code": department.code,
            "name": "Trùng mã",
            "kind": "department",
            "order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "đã tồn tại" in response.content.decode()
    assert Unit.objects.filter(code=department.code).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "", "name": ""}, "Trường này là bắt buộc"),
        ({"code": "X" * 31, "name": "Tên"}, "tối đa 30"),
        ({"code": "mã có dấu", "name": "Tên"}, "chữ không dấu"),
        ({"code": "OK", "name": "N" * 256}, "tối đa 255"),
    ],
)
def test_bad_unit_input_is_refused_with_a_message(client_for, role_users, data, message) -> None:
    before = Unit.objects.count()
    response = client_for("admin").post(
        reverse("admin:accounts_unit_add"),
        {"kind": "department", "order": 1, "is_active": "on", **data},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Unit.objects.count() == before


@pytest.mark.django_db
def test_script_in_names_is_escaped_on_every_page(client_for, role_users, department) -> None:
    department.name = XSS
    department.short_name = XSS
    department.save()
    member = role_users["member"]
    member.full_name = XSS
    member.save()
    PersonFactory(full_name=XSS, unit=department)
    pages = [
        (client_for("member"), reverse("portal:dashboard")),
        (client_for("member"), reverse("accounts:account")),
        (client_for("member"), reverse("feedback:list")),
        (client_for("admin"), reverse("admin:accounts_unit_changelist")),
        (client_for("admin"), reverse("admin:accounts_person_changelist")),
        (client_for("admin"), reverse("admin:accounts_user_changelist")),
        (client_for("admin"), reverse("admin:accounts_unit_change", args=[department.pk])),
    ]
    for client, url in pages:
        body = client.get(url).content.decode()
        assert XSS not in body, url
        assert "&lt;script&gt;" in body, url


@pytest.mark.django_db
def test_reset_password_action(client_for, role_users, settings) -> None:
    target = role_users["unit_clerk"]
    response = action(client_for("admin"), "user", "reset_password", [target.pk])
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.must_change_password
    assert target.check_password(settings.TEMPORARY_PASSWORD)
    entry = (
        LogEntry.objects.get_for_object(target)
        .filter(additional_data__event="password_reset")
        .get()
    )
    assert entry.actor == role_users["admin"]
    assert entry.remote_addr == "10.9.8.7"


@pytest.mark.django_db
def test_unlock_action_clears_the_lockout(client_for, role_users, settings) -> None:
    target = role_users["member"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("accounts:login"), {"username": target.username, "password": "sai"})
    assert AccessAttempt.objects.filter(username=target.username).exists()
    action(client_for("admin"), "user", "unlock", [target.pk])
    assert not AccessAttempt.objects.filter(username=target.username).exists()
    assert LogEntry.objects.get_for_object(target).filter(additional_data__event="unlock").exists()


@pytest.mark.django_db
def test_deactivate_accounts_but_never_oneself_and_never_delete(client_for, role_users) -> None:
    admin_user, target = role_users["admin"], role_users["member"]
    action(client_for("admin"), "user", "deactivate_accounts", [target.pk, admin_user.pk])
    target.refresh_from_db()
    admin_user.refresh_from_db()
    assert not target.is_active
    assert admin_user.is_active
    # No delete action, no delete page.
    changelist = client_for("admin").get(reverse("admin:accounts_user_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist
    assert (
        client_for("admin").get(reverse("admin:accounts_user_delete", args=[target.pk])).status_code
        == 403
    )
    assert User.objects.filter(pk=target.pk).exists()


@pytest.mark.django_db
def test_units_personnel_committees_are_deactivated_not_deleted(client_for, department) -> None:
    person = PersonFactory(unit=department)
    committee = Committee.objects.create(code="BCD1", name="Ban Chỉ đạo 1")
    CommitteeMembership.objects.create(committee=committee, person=person)
    admin = client_for("admin")
    for model, obj in (("unit", department), ("person", person), ("committee", committee)):
        assert (
            admin.get(reverse(f"admin:accounts_{model}_delete", args=[obj.pk])).status_code == 403
        )
        action(admin, model, "deactivate_selected", [obj.pk])
        obj.refresh_from_db()
        assert not obj.is_active
        entry = LogEntry.objects.get_for_object(obj).latest("timestamp")
        assert entry.changes_dict["is_active"] == ["True", "False"]
    action(admin, "unit", "reactivate_selected", [department.pk])
    department.refresh_from_db()
    assert department.is_active
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_committee_members_are_edited_inline_and_audited(
    client_for, role_users, department
) -> None:
    person = PersonFactory(unit=department)
    admin = client_for("admin")
    response = admin.post(
        reverse("admin:accounts_committee_add"),
        {
            "code": "BCD-CDS",
            "name": "Ban Chỉ đạo Chuyển đổi số",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-person": person.pk,
            "memberships-0-role": "head",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    committee = Committee.objects.get(code="BCD-CDS")
    membership = committee.memberships.get()
    assert membership.person == person and membership.role == "head"
    assert (
        LogEntry.objects.get_for_object(membership).filter(action=LogEntry.Action.CREATE).exists()
    )


@pytest.mark.django_db
def test_granting_may_organise_changes_the_organise_permission(
    role_users, other_department
) -> None:
    clerk = role_users["clerk"]
    assert clerk.has_perm("meetings.organise_meeting")
    clerk.unit = other_department
    clerk.save()
    clerk = User.objects.get(pk=clerk.pk)
    assert not clerk.has_perm("meetings.organise_meeting")
    other_department.may_organise = True
    other_department.save()
    clerk = User.objects.get(pk=clerk.pk)
    assert clerk.has_perm("meetings.organise_meeting")
    assert not role_users["unit_clerk"].has_perm("meetings.organise_meeting")
    # The IT centre runs the system; it does not organise meetings (least privilege).
    assert not role_users["admin"].has_perm("meetings.organise_meeting")


@pytest.mark.django_db
def test_only_admin_role_gets_into_the_admin(role_users) -> None:
    # Staff for Django's admin, and never a superuser: an admin's rights are named in rules.
    assert role_users["admin"].is_staff and not role_users["admin"].is_superuser
    for role in ("clerk", "secretary", "unit_leader", "unit_clerk", "member"):
        assert not role_users[role].is_staff
        assert not role_users[role].is_superuser
    member = role_users["member"]
    member.role = User.Role.ADMIN
    member.save()
    assert member.is_staff
    member.role = User.Role.MEMBER
    member.save()
    assert not member.is_staff


@pytest.mark.django_db
def test_admin_pages_are_in_vietnamese(client_for) -> None:
    page = client_for("admin").get(reverse("admin:index")).content.decode()
    for words in ("Quản trị hệ thống", "Đơn vị", "Nhật ký đăng nhập", "Danh mục", "Góp ý phần mềm"):
        assert words in page, words


def _new_account(**fields):
    data = {
        "username": "nguoidung.moi",
        "full_name": "Người dùng mới",
        "email": "moi@example.gov.vn",
        "kind": "personal",
        "role": "member",
        "usable_password": "true",
        "password1": "Mật-khẩu-ban-đầu-2026",
        "password2": "Mật-khẩu-ban-đầu-2026",
    }
    data.update(fields)
    return data


@pytest.mark.django_db
def test_admin_creates_an_account_that_must_change_its_password(client_for, department) -> None:
    response = client_for("admin").post(
        reverse("admin:accounts_user_add"), _new_account(unit=department.pk)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="nguoidung.moi")
    assert user.must_change_password
    assert user.unit == department
    assert LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.CREATE).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "unit"}, "Tài khoản đơn vị phải thuộc một đơn vị"),
        ({"kind": "committee"}, "Tài khoản ban chỉ đạo phải thuộc một ban chỉ đạo"),
        ({"password1": "abc@123456", "password2": "abc@123456"}, "mật khẩu tạm thời"),
        ({"password2": "khác"}, "không giống nhau"),
        ({"username": "admin1"}, "đã được sử dụng"),
    ],
)
def test_inconsistent_accounts_are_refused(client_for, role_users, fields, message) -> None:
    before = User.objects.count()
    response = client_for("admin").post(reverse("admin:accounts_user_add"), _new_account(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before


@pytest.mark.django_db
def test_account_linked_to_a_person_of_another_unit_is_refused(
    client_for, department, other_department
) -> None:
    person = PersonFactory(unit=other_department)
    response = client_for("admin").post(
        reverse("admin:accounts_user_add"), _new_account(unit=department.pk, person=person.pk)
    )
    assert response.status_code == 200
    assert "đơn vị của nhân sự" in response.content.decode()
