"""Django's admin as the IT centre uses it (A1, A4): Vietnamese on every page, a unit added without
thinking about its kind, the accounts locked out by wrong passwords visible and filterable."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Unit
from accounts.tests.test_admin import action

USERS = "admin:accounts_user_changelist"


def text_of(page: str) -> str:
    page = re.sub(r"<(script|style).*?</\1>", " ", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))


def lock_out(username: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("accounts:login"), {"username": username, "password": "sai"})


def account_rows(page: str) -> dict[str, str]:
    """Each account's row of the list, as text, by its user name."""
    body = page.split('id="result_list"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>.*?</tr>", body, flags=re.DOTALL)
    found = {}
    for row in rows:
        cells = text_of(row).split()
        if cells:
            found[cells[0]] = text_of(row)
    return found


@pytest.mark.django_db
def test_a_new_unit_comes_with_a_kind_and_errors_read_in_vietnamese(client_for) -> None:
    admin = client_for("admin")
    form = admin.get(reverse("admin:accounts_unit_add")).content.decode()
    kind = re.search(r'<select name="kind".*?</select>', form, flags=re.DOTALL)
    assert kind is not None
    assert '<option value="department" selected>' in kind.group(0)
    assert "---------" not in kind.group(0)

    response = admin.post(
        reverse("admin:accounts_unit_add"), {"code": "SNV", "order": "10", "is_active": "on"}
    )
    page = text_of(response.content.decode())
    assert response.status_code == 200
    assert "Please correct" not in page
    assert "Vui lòng sửa lỗi dưới đây." in page
    assert not Unit.objects.filter(code="SNV").exists()

    response = admin.post(
        reverse("admin:accounts_unit_add"),
        {"code": "SNV", "name": "Sở Nội vụ", "kind": "department", "order": "10"},
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="SNV").kind == Unit.Kind.DEPARTMENT


@pytest.mark.django_db
def test_django_own_labels_read_naturally(client_for) -> None:
    admin = client_for("admin")
    index = text_of(admin.get(reverse("admin:index")).content.decode())
    units = text_of(admin.get(reverse("admin:accounts_unit_changelist")).content.decode())
    for page in (index, units):
        for odd in ("Thêm vào", "Không có sẵn", "Bởi ", "Hoạt động:", "Bản ghi nhớ", "của 3 được"):
            assert odd not in page, odd
    assert "Chưa có" in index  # no recent actions yet
    assert "Thêm đơn vị" in units
    assert "Theo loại đơn vị" in units


@pytest.mark.django_db
def test_locked_accounts_show_in_the_list_and_filter(client_for, role_users) -> None:
    member, leader = role_users["member"], role_users["unit_leader"]
    lock_out(member.username)
    lock_out(leader.username)
    Client().post(reverse("accounts:login"), {"username": "clerk1", "password": "sai"})  # one typo
    admin = client_for("admin")

    page = admin.get(reverse(USERS)).content.decode()
    rows = account_rows(page)
    assert "Bị khoá đến" in rows[member.username]
    assert "Bị khoá đến" in rows[leader.username]
    assert "Bị khoá" not in rows["clerk1"]
    assert "Khoá đăng nhập" in text_of(page)  # the column and the filter

    locked = account_rows(admin.get(reverse(USERS), {"khoa": "co"}).content.decode())
    assert set(locked) == {member.username, leader.username}
    free = account_rows(admin.get(reverse(USERS), {"khoa": "khong"}).content.decode())
    assert member.username not in free and "clerk1" in free

    # The unlock action stays, and the account leaves the filter at once.
    action(admin, "user", "unlock", [member.pk])
    locked = account_rows(admin.get(reverse(USERS), {"khoa": "co"}).content.decode())
    assert set(locked) == {leader.username}


@pytest.mark.django_db
def test_a_lockout_past_its_cool_off_is_not_shown(client_for, role_users, settings) -> None:
    from axes.models import AccessAttempt
    from django.utils import timezone

    lock_out(role_users["member"].username)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(minutes=1)
    )
    rows = account_rows(client_for("admin").get(reverse(USERS)).content.decode())
    assert "Bị khoá" not in rows[role_users["member"].username]
