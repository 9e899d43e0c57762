"""The meeting form says when the chosen chair has no active account, and who then approves the
minutes: the organiser unit's leaders, named; or nobody, which the clerk must fix first."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PersonFactory, UserFactory
from meetings.tests.factories import make_meeting

pytestmark = pytest.mark.django_db

WARNING = "chưa có tài khoản đang hoạt động"


@pytest.fixture
def chairs(office):
    without = PersonFactory(full_name="Nguyễn Thanh Ngọc", position="Chủ tịch", unit=office)
    with_account = PersonFactory(full_name="Trần Văn Chiến", position="Phó Chủ tịch", unit=office)
    UserFactory(person=with_account, unit=office, role=User.Role.MEMBER)
    return {"without": without, "with": with_account}


def test_the_chair_list_marks_who_has_no_account(client_for, chairs):
    page = client_for("clerk").get(reverse("meetings:create")).content.decode()
    assert "Nguyễn Thanh Ngọc – Chủ tịch (chưa có tài khoản)" in page
    assert "Trần Văn Chiến – Phó Chủ tịch (chưa có tài khoản)" not in page
    assert WARNING not in page  # no chair chosen yet


def test_edit_warns_and_names_who_approves_instead(client_for, role_users, chairs, office):
    meeting = make_meeting(by=role_users["clerk"], chair=chairs["without"])
    url = reverse("meetings:edit", args=[meeting.pk])
    page = client_for("clerk").get(url).content.decode()
    assert WARNING in page
    assert "chưa ai phê duyệt được biên bản" in page  # the office has no leader account
    UserFactory(full_name="Dương Văn Thắng", role=User.Role.UNIT_LEADER, unit=office)
    page = client_for("clerk").get(url).content.decode()
    assert WARNING in page and "lãnh đạo đơn vị tổ chức" in page and "Dương Văn Thắng" in page
    assert "chưa ai phê duyệt được biên bản" not in page


def test_no_warning_for_a_chair_with_an_account(client_for, role_users, chairs):
    meeting = make_meeting(by=role_users["clerk"], chair=chairs["with"])
    page = client_for("clerk").get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    assert WARNING not in page


def test_a_refused_form_warns_about_the_chosen_chair(client_for, chairs):
    response = client_for("clerk").post(
        reverse("meetings:create"), {"title": "", "chair": chairs["without"].pk}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert WARNING in response.content.decode()
