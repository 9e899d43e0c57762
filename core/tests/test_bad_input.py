"""The 500s the walk of every URL (test_no_server_errors.py) found, one test each: each failed
before its fix."""

import pytest
from django.urls import reverse

from accounts.models import Committee, Unit
from feedback.models import Feedback
from meetings.models import Meeting

HUGE = str(2**63)  # one more than PostgreSQL's bigint and SQLite's integer hold


@pytest.mark.django_db
def test_an_in_lookup_leaves_out_ids_no_integer_column_holds(office) -> None:
    assert list(Unit.objects.filter(pk__in=[2**63, office.pk])) == [office]
    assert not Unit.objects.filter(pk__in=[2**63, -(2**63) - 1]).exists()
    assert list(Unit.objects.exclude(pk__in=[2**63])) == [office]


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, "99999999999999999999", str(-(2**63) - 1)])
def test_an_invited_unit_out_of_range_is_a_form_error(value, client_for, department) -> None:
    response = client_for("clerk").post(
        reverse("meetings:create"), {"title": "Họp thử", "units": [str(department.pk), value]}
    )
    assert response.status_code == 200
    assert "units" in response.context["form"].errors
    assert not Meeting.objects.filter(title="Họp thử").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["99999999999999999999", "9999", "0", "²⁰²⁶", "-1"])
def test_a_date_hierarchy_year_out_of_range_is_the_admins_wrong_filter_page(
    year, client_for
) -> None:
    url = reverse("admin:feedback_feedback_changelist")
    response = client_for("admin").get(url, {"created_at__year": year})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


@pytest.mark.django_db
def test_a_date_hierarchy_year_in_range_still_filters(client_for, role_users) -> None:
    Feedback.objects.create(author=role_users["member"], subject="Góp ý năm nay", body="Nội dung")
    url = reverse("admin:feedback_feedback_changelist")
    admin = client_for("admin")
    year = Feedback.objects.get().created_at.year
    assert "Góp ý năm nay" in admin.get(url, {"created_at__year": year}).content.decode()
    assert "Góp ý năm nay" not in admin.get(url, {"created_at__year": 2001}).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "1e309", HUGE])
def test_an_autocomplete_box_shown_again_with_a_bad_value_is_a_form_error(
    value, client_for, office
) -> None:
    response = client_for("admin").post(
        reverse("admin:accounts_committee_add"),
        {
            "code": "BCD1",
            "name": "Ban chỉ đạo thử",
            "host_unit": str(office.pk),
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-person": value,
            "memberships-0-role": "member",
        },
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["person"]
    assert not Committee.objects.filter(code="BCD1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/cuoc-hop/", {"q": "\x00"}),
        ("get", "/lich/tuan/", {"ngay\x00": "1"}),
        ("get", "/lich/ical/a%00b.ics", {}),
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(method, url, data, client_for) -> None:
    response = getattr(client_for("member"), method)(url, data)
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_nul_character_sent_to_the_api_is_a_bad_request_in_the_apis_shape(role_users) -> None:
    from django.test import Client

    from api.services import token_create

    _, plain = token_create(owner=role_users["member"], name="Thử", scope="read", days=30)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {plain}").get("/api/v1/meetings", {"q": "a\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["code"] == "nul"
    assert response.json()["message"]


@pytest.mark.django_db
def test_a_nul_character_in_a_form_is_a_bad_request_and_nothing_is_saved(
    client_for, meetings
) -> None:
    """PostgreSQL refused the note (read without a form) and the change's record: a 500."""
    invitation = meetings["published"].invitations.get()
    response = client_for("clerk").post(
        reverse("meetings:invitees", args=[meetings["published"].pk]),
        {f"note-{invitation.pk}": "Mang theo\x00 báo cáo"},
    )
    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.note == ""


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/tai-khoan/dang-nhap/", "/admin/login/"])
def test_a_user_name_longer_than_any_account_is_refused_before_signing_in(
    url, client, password
) -> None:
    """Django's sign-in form limits the name in the browser only; the lockout's record holds
    255 characters, so a longer name was a 500 on PostgreSQL."""
    from axes.models import AccessAttempt

    response = client.post(url, {"username": "đ" * 300, "password": password})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
