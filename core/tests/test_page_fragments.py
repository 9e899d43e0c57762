"""Parts of every page that are the same for many readers come from the cache: the menu's groups
(keyed by the answers of the rules they show and the language) and the footer."""

import pytest
from django.core.cache import cache
from django.urls import reverse

MENU_GROUPS = "template.cache.menu_groups."
FOOTER = "template.cache.footer."


def cached_fragments() -> list[str]:
    return [key for key in cache._cache if MENU_GROUPS in key or FOOTER in key]  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_menu_groups_and_the_footer_are_rendered_once_for_alike_readers(client_for) -> None:
    client_for("member").get(reverse("accounts:account"))
    first = cached_fragments()
    assert len([k for k in first if MENU_GROUPS in k]) == 1
    assert len([k for k in first if FOOTER in k]) == 1
    # Another page, another reader whose rules answer alike: the same two entries.
    client_for("member").get(reverse("feedback:list"))
    assert cached_fragments() == first


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
    """The roles' menus one after the other, each after the others were cached."""
    for other in ("member", "clerk", "admin", "unit_leader"):
        client_for(other).get(reverse("accounts:account"))
    page = client_for(role).get(reverse("accounts:account")).content.decode()
    menu = page.split('id="mainNav"', 1)[1].split("</nav>", 1)[0]
    assert all(text in menu for text in shown), role
    assert not any(text in menu for text in hidden), role


@pytest.mark.django_db
def test_the_english_menu_is_cached_apart(client_for) -> None:
    client = client_for("member")
    client.get(reverse("accounts:account"))
    client.cookies["django_language"] = "en"
    english = client.get(reverse("accounts:account")).content.decode()
    assert "Meetings" in english.split('id="mainNav"', 1)[1].split("</nav>", 1)[0]
