"""The meeting form's people: the chair among a province's staff by unit, the secretary by name."""

import re

from accounts.tests.factories import PersonFactory, UserFactory
from meetings.forms import MeetingEditForm


def _groups(html: str) -> dict[str, list[str]]:
    return {
        label: re.findall(r"<option [^>]*>([^<]*)</option>", body)
        for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', html, re.S)
    }


def test_chairs_are_grouped_by_unit_with_their_positions(role_users, department, office):
    PersonFactory(full_name="Trần Văn Bình", position="Giám đốc", unit=department)
    PersonFactory(full_name="Lê Thị An", position="Phó Giám đốc", unit=department)
    PersonFactory(full_name="Phạm Văn Cường", position="Chánh Văn phòng", unit=office)

    html = str(MeetingEditForm(user=role_users["clerk"])["chair"])

    groups = _groups(html)
    # None of them has an account yet: the list says so (the unit's leaders approve instead).
    none = " (chưa có tài khoản)"
    assert groups["Sở Tài chính"] == [
        "Lê Thị An – Phó Giám đốc" + none,
        "Trần Văn Bình – Giám đốc" + none,
    ]
    assert groups["Văn phòng UBND tỉnh"] == ["Phạm Văn Cường – Chánh Văn phòng" + none]


def test_secretaries_show_full_names_by_unit(role_users, office):
    role_users["secretary"].full_name = "Đỗ Minh Thư"
    role_users["secretary"].save()
    UserFactory(username="thuky2", full_name="Vũ Hải Yến", role="secretary", unit=office)

    html = str(MeetingEditForm(user=role_users["clerk"])["secretary"])

    names = _groups(html)["Văn phòng UBND tỉnh"]
    assert "Đỗ Minh Thư" in names and "Vũ Hải Yến" in names
    assert "secretary1" not in html and "thuky2" not in html
