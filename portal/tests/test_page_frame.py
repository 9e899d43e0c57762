"""The frame of every page (base.html: the stylesheets and scripts, the menu bar, the offline
banner, the footer) is rendered once per process for the same values
(portal.templatetags.page_frame, core.fragments), and what changes with every request is each
request's own."""

import re
from urllib.parse import quote

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from core import fragments
from notifications.models import Event, Notification


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The names of the fragments' templates rendered (not taken from the memo) from now on."""
    fragments.forget()
    rendered: list[str] = []
    render = fragments._render

    def counted(template_name, values):
        rendered.append(template_name)
        return render(template_name, values)

    monkeypatch.setattr(fragments, "_render", counted)
    return rendered


FRAME = {"portal/_menu_bar.html", "portal/_page_assets.html", "portal/_footer.html"}


def menu_of(page: str) -> str:
    return page.split('id="mainNav"', 1)[1].split("</nav>", 1)[0]


def without_tokens(page: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=")[^"]+|("X-CSRFToken": ")[^"]+', r"\1\2", page)


@pytest.mark.django_db
def test_the_frame_is_rendered_once_for_the_same_reader_and_values(client_for, renders) -> None:
    client = client_for("member")
    client.get(reverse("accounts:account"))
    assert set(renders) >= FRAME
    first = len(renders)
    # Another page for the same reader: its frame comes from the memo, nothing of it rendered.
    client.get(reverse("feedback:list"))
    client.get(reverse("accounts:account"))
    assert not FRAME & set(renders[first:])


@pytest.mark.django_db
def test_the_kept_frame_is_the_frame_written_afresh(client_for, role_users) -> None:
    """For each role, the page from the memo equals the page written with nothing kept (DEBUG),
    the forms' tokens aside."""
    for role in ("member", "clerk", "admin", "unit_leader", "unit_clerk", "secretary"):
        client = client_for(role)
        url = reverse("accounts:account")
        client.get(url)
        kept = client.get(url).content.decode()
        with override_settings(DEBUG=True):
            fresh = client.get(url).content.decode()
        assert without_tokens(kept) == without_tokens(fresh), role
        assert role_users[role].get_short_name() in menu_of(kept)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("member", [], ["Thống kê", 'id="nav-group-admin"', "Kết xuất hồ sơ"]),
        ("clerk", ["Thống kê", "Kết xuất hồ sơ"], ['id="nav-group-admin"']),
        ("admin", ['id="nav-group-admin"', "Nhật ký đăng nhập"], []),
        ("unit_leader", ["Thống kê", "Nhật ký đăng nhập"], ['id="nav-group-admin"']),
    ],
)
def test_each_reader_gets_the_groups_of_their_own_rules(client_for, role, shown, hidden) -> None:
    """The roles' menus one after the other, each after the others were kept."""
    for other in ("member", "clerk", "admin", "unit_leader"):
        client_for(other).get(reverse("accounts:account"))
    menu = menu_of(client_for(role).get(reverse("accounts:account")).content.decode())
    assert all(text in menu for text in shown), role
    assert not any(text in menu for text in hidden), role


@pytest.mark.django_db
def test_the_english_menu_is_kept_apart(client_for) -> None:
    client = client_for("member")
    client.get(reverse("accounts:account"))
    client.cookies["django_language"] = "en"
    english = menu_of(client.get(reverse("accounts:account")).content.decode())
    assert "Meetings" in english
    assert "Cuộc họp" not in english


@pytest.mark.django_db
def test_each_request_gets_its_own_token_and_address(client_for) -> None:
    """The language form and the sign-out form carry the request's own CSRF token (the language
    form is accepted with it), and the language form and the feedback link the page's own
    address, escaped, even when the page before was another one kept alike."""
    client = client_for("member")
    client.get(reverse("accounts:account"))
    odd = '/ghi-chu/?q=<script>alert("x")</script>&a=1'
    answer = client.get(odd)
    page, path = answer.content.decode(), answer.wsgi_request.get_full_path()
    menu = menu_of(page)
    assert "<script>alert" not in page
    assert "\x00" not in page
    assert "&a=1" in path
    assert f'name="next" type="hidden" value="{escape(path)}"' in menu
    assert f'?from={quote("/ghi-chu/", safe="/")}"' in menu
    tokens = re.findall(r'csrfmiddlewaretoken" value="([^"]+)"', menu)
    assert len(tokens) == 2
    client.handler.enforce_csrf_checks = True
    answer = client.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": tokens[0], "language": "en", "next": "/ghi-chu/"},
    )
    assert answer.status_code == 302
    assert "Meetings" in menu_of(client.get(reverse("accounts:account")).content.decode())


@pytest.mark.django_db
def test_a_new_count_or_name_shows_on_the_next_page(client_for, role_users) -> None:
    member = role_users["member"]
    client = client_for("member")
    before = menu_of(client.get(reverse("accounts:account")).content.decode())
    assert "data-unread" not in client.get(reverse("accounts:account")).content.decode()
    event = Event.objects.create(kind=Event.Kind.NOTICE, title="Thư mời họp", link="/")
    Notification.objects.create(user=member, event=event)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'data-unread="1"' in page
    member.full_name = "Nguyễn Văn Mới Đổi Tên"
    member.save()
    after = menu_of(client.get(reverse("accounts:account")).content.decode())
    assert after != before
    assert member.get_short_name() in after


@pytest.mark.django_db
def test_accounts_of_one_role_and_unit_share_one_kept_menu_each_with_its_name(
    role_users, renders
) -> None:
    """The name is put in after, escaped: the members of a unit (a hall of voters opening the
    ballot page at once) share the menu rendered for the first."""
    from accounts.models import User
    from accounts.tests.factories import signed_in_client

    member = role_users["member"]
    other = User.objects.create(
        username="dai-bieu-hai",
        full_name='Trần Thị <script>alert("x")</script> Hai',
        role=member.role,
        unit=member.unit,
    )
    first = menu_of(signed_in_client(member).get(reverse("accounts:account")).content.decode())
    rendered = renders.count("portal/_menu_bar.html")
    second = menu_of(signed_in_client(other).get(reverse("accounts:account")).content.decode())
    assert renders.count("portal/_menu_bar.html") == rendered  # the kept menu
    assert member.get_short_name() in first and member.get_short_name() not in second
    assert escape(other.get_short_name()) in second
    assert "<script>" not in second and "\x00" not in second
    assert without_tokens(first).replace(member.get_short_name(), "") == without_tokens(
        second
    ).replace(escape(other.get_short_name()), "")
