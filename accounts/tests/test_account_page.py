"""The account holder's own page: details, recent sign-ins and contact details they keep current."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

URL = reverse("accounts:account")


@pytest.mark.django_db
def test_page_shows_role_unit_and_recent_sign_ins(client, role_users, password) -> None:
    user = role_users["unit_leader"]
    client.post(reverse("accounts:login"), {"username": user.username, "password": password})
    page = client.get(URL).content.decode()
    assert user.get_role_display() in page
    assert user.unit.name in page
    assert "Đăng nhập thành công" in page


@pytest.mark.django_db
def test_contact_details_are_saved_and_audited(client_for, role_users) -> None:
    user = role_users["member"]
    response = client_for("member").post(
        URL, {"email": "nguyen.van.a@stc.gov.vn", "phone": "+84 (0236) 3.822-123"}
    )
    assert response.status_code == 302 and response["Location"] == URL
    user.refresh_from_db()
    assert user.email == "nguyen.van.a@stc.gov.vn"
    assert user.phone == "+84 (0236) 3.822-123"
    entry = LogEntry.objects.get_for_object(user).latest("timestamp")
    assert "phone" in entry.changes_dict


@pytest.mark.django_db
def test_bad_contact_details_are_refused_with_a_message_and_kept_in_the_form(
    client_for, role_users
) -> None:
    user = role_users["member"]
    before = (user.email, user.phone)
    response = client_for("member").post(
        URL, {"email": "không-phải-email", "phone": "<script>alert(1)</script>"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_email_error"><div>Nhập địa chỉ email.</div>' in page
    assert "Số điện thoại chỉ gồm chữ số" in page
    # What was typed comes back, escaped, so nothing is lost and nothing runs.
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    user.refresh_from_db()
    assert (user.email, user.phone) == before


@pytest.mark.django_db
def test_only_contact_fields_can_be_changed(client_for, role_users) -> None:
    user = role_users["member"]
    client_for("member").post(
        URL, {"email": "a@b.vn", "phone": "", "role": "admin", "is_staff": "on", "full_name": "X"}
    )
    user.refresh_from_db()
    assert user.email == "a@b.vn"
    assert user.role == "member" and not user.is_staff and user.full_name != "X"


@pytest.mark.django_db
def test_anonymous_post_goes_to_sign_in(client) -> None:
    response = client.post(URL, {"email": "a@b.vn"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
