"""Public home, help page (P3), dashboard, language and date formats (P2)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User


@pytest.mark.django_db
def test_public_home_is_vietnamese_and_invites_to_sign_in(client) -> None:
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in page
    assert "Họp không giấy" in page
    assert reverse("accounts:login") in page
    # The public never sees documents; the home page names no document or account.
    assert "tai-lieu/" not in page


@pytest.mark.django_db
def test_help_page_describes_every_role(client) -> None:
    page = client.get(reverse("portal:help")).content.decode()
    for role in User.Role:
        assert str(role.label) in page, role
    assert "4 lần mỗi ngày" in page
    assert "3 ngày" in page and "1 ngày" in page


@pytest.mark.django_db
def test_dashboard_shows_role_unit_and_organiser_rights(client_for, role_users) -> None:
    clerk_page = client_for("clerk").get(reverse("portal:dashboard")).content.decode()
    assert "Văn thư" in clerk_page
    assert "Cuộc họp tôi tổ chức" in clerk_page
    assert reverse("meetings:create") in clerk_page
    member_page = client_for("member").get(reverse("portal:dashboard")).content.decode()
    assert "Cuộc họp tôi tổ chức" not in member_page
    assert reverse("meetings:create") not in member_page
    assert role_users["member"].unit.name in member_page
    admin_page = client_for("admin").get(reverse("portal:dashboard")).content.decode()
    assert reverse("admin:accounts_loginevent_changelist") in admin_page
    assert reverse("admin:index") not in member_page


@pytest.mark.django_db
def test_dates_are_dd_mm_yyyy_in_both_languages(client_for, role_users, settings) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 0  # the date below is long past
    user = role_users["member"]
    user.password_changed_at = timezone.make_aware(
        timezone.datetime(2026, 3, 9, 23, 30), timezone.get_fixed_timezone(0)
    )
    user.save()
    client = client_for("member")
    # 23:30 UTC on 9 March is 06:30 on 10 March in Hà Nội.
    assert "10/03/2026" in client.get(reverse("portal:dashboard")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("accounts:account")).content.decode()
    assert '<html lang="en">' in english
    assert "06:30 10/03/2026" in english


@pytest.mark.django_db
def test_language_switch_keeps_the_page(client, settings) -> None:
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("portal:help")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:help")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("portal:help")).content.decode()


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_wrong_method_on_public_pages(client) -> None:
    assert client.post(reverse("portal:help")).status_code == 405
    assert client.delete("/").status_code == 405


@pytest.mark.django_db
def test_browser_language_does_not_override_vietnamese(client, settings) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi">' in client.get("/").content.decode()
