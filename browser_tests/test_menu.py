"""The top menu, grouped (meetings and calendars, tasks and opinions, statistics and reports,
administration), stays on one line at 1280 px for the accounts that see the most of it, and folds
behind its button on a 390 px phone, where every group opens in place."""

import pytest

from .conftest import DESKTOP, PHONE, shot, sign_in, visit

pytestmark = pytest.mark.browser

# The admin and the office's clerk see every group.
ACCOUNTS = ["quantri", "vanthu"]


@pytest.mark.parametrize("username", ACCOUNTS)
def test_menu_on_one_line_at_1280_px(live_server, demo, new_context, username) -> None:
    page = new_context(viewport=DESKTOP["viewport"]).new_page()
    sign_in(page, live_server, username)
    tops = page.evaluate(
        "[...document.querySelectorAll('.navbar-hkg .navbar-brand, #mainNav > ul > li,"
        " #mainNav > form, #mainNav > .dropdown')].map(e => Math.round("
        "e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2))"
    )
    assert len(tops) >= 6
    assert max(tops) - min(tops) <= 8, f"the menu wraps at 1280 px: centres at {tops}"
    lines = page.evaluate(
        "(() => { const ul = document.querySelector('#mainNav > ul');"
        " const li = ul.querySelector('li'); return ul.getBoundingClientRect().height"
        " / li.getBoundingClientRect().height; })()"
    )
    assert lines < 1.5, f"the menu's list is {lines:.1f} entries high: it wraps"
    for group in ("nav-group-meetings", "nav-group-work", "nav-group-reports"):
        toggle = page.locator(f"#{group} > .dropdown-toggle")
        toggle.click()
        items = page.locator(f"#{group} .dropdown-menu .dropdown-item")
        assert items.first.is_visible(), f"{group} opens no entries"
        toggle.click()
    page.locator("#nav-group-meetings > .dropdown-toggle").click()
    visit(page, f"menu-1280-{username}")
    if username == "vanthu":
        shot(page, "menu-1280")


def test_menu_folds_on_a_phone(live_server, demo, new_context) -> None:
    page = new_context(viewport=PHONE["viewport"]).new_page()
    sign_in(page, live_server, "vanthu")
    assert not page.locator("#mainNav").is_visible()
    page.get_by_role("button", name="Mở menu").click()
    page.locator("#mainNav.show").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the open menu scrolls sideways ({width} px)"
    page.locator("#nav-group-reports > .dropdown-toggle").click()
    statistics = page.locator("#nav-group-reports").get_by_role("link", name="Thống kê", exact=True)
    assert statistics.is_visible()
    visit(page, "menu-phone")
    statistics.click()
    page.wait_for_url("**/thong-ke/")
