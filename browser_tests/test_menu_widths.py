"""The top menu at the widths of the office's screens and laptops (1024, 1280, 1366 and 1920 px):
one line, the notification bell on the screen, every group opening in place, for every role's
menu; narrower than the expanded menu, the menu folds behind its button and the bell stays."""

import pytest
from playwright.sync_api import Page

from browser_tests.conftest import shot, sign_in, visit

pytestmark = pytest.mark.browser

# Sizes here rather than in the shared conftest: the common office screens, landscape.
WIDTHS = [1024, 1280, 1366, 1920]
FOLDED = 991  # Bootstrap's "lg" breakpoint less one pixel: the menu folds below 992 px.
HEIGHT = 768
# One account per role; the clerk's and the admin's menus are the longest.
ACCOUNTS = ["vanthu", "quantri", "thuky", "lanhdao.stc", "stc", "thanhvien", "bcd.cds"]

LAYOUT = """() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                             height: r.height, width: r.width}; };
  const shown = e => { const r = e.getBoundingClientRect();
      if (!r.width || !r.height) return false;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return !!hit && (hit === e || e.contains(hit)); };
  const bar = document.querySelector('.navbar-hkg > .container-fluid');
  const parts = [...bar.querySelectorAll(
      ':scope > .navbar-brand, :scope > div:has(#inbox-bell), #mainNav > ul > li,'
      + ' #mainNav > form, #mainNav > .dropdown, #mainNav > a')]
    .filter(e => e.getBoundingClientRect().height > 0);
  const bell = document.querySelector('#inbox-bell');
  return {
    bar: box(bar), parts: parts.map(e => ({text: e.textContent.trim().slice(0, 30), ...box(e)})),
    bell: box(bell), bellShown: shown(bell),
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
  };
}"""


def _check_one_line(page: Page, label: str) -> None:
    layout = page.evaluate(LAYOUT)
    parts = layout["parts"]
    assert len(parts) >= 5, f"{label}: {parts}"
    tallest = max(p["height"] for p in parts)
    # One line: the bar is no taller than its tallest entry (Bootstrap's navbar padding aside),
    # and every entry sits on the same line.
    assert layout["bar"]["height"] <= tallest + 2, f"{label}: the menu wraps: {layout}"
    centres = [p["top"] + p["height"] / 2 for p in parts]
    assert max(centres) - min(centres) <= 8, f"{label}: the menu wraps: {parts}"
    bell = layout["bell"]
    assert bell["left"] >= 0 and bell["right"] <= layout["innerWidth"], f"{label}: {bell}"
    assert bell["top"] >= 0 and bell["bottom"] <= layout["innerHeight"], f"{label}: {bell}"
    assert layout["bellShown"], f"{label}: the bell is covered"
    assert layout["scrollWidth"] <= layout["innerWidth"], f"{label}: the page scrolls sideways"
    for part in parts:
        assert part["left"] >= 0 and part["right"] <= layout["innerWidth"], f"{label}: {part}"


def _check_groups_open(page: Page, label: str) -> None:
    toggles = page.locator("#mainNav .dropdown-toggle")
    for index in range(toggles.count()):
        toggle = toggles.nth(index)
        toggle.click()
        menu = toggle.locator("xpath=following-sibling::*[contains(@class,'dropdown-menu')]")
        items = menu.locator(".dropdown-item")
        assert items.first.is_visible(), f"{label}: {toggle.inner_text()} opens nothing"
        right = menu.evaluate("m => m.getBoundingClientRect().right")
        assert right <= page.viewport_size["width"], f"{label}: {toggle.inner_text()} spills"  # type: ignore[index]
        page.keyboard.press("Escape")


@pytest.mark.parametrize("username", ACCOUNTS)
def test_the_menu_holds_on_one_line(live_server, demo, new_context, username) -> None:
    page = new_context(viewport={"width": WIDTHS[0], "height": HEIGHT}).new_page()
    sign_in(page, live_server, username)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        label = f"{username} at {width} px"
        assert page.locator("#mainNav").is_visible(), f"{label}: the menu is folded"
        assert not page.locator(".navbar-toggler").is_visible(), label
        shot(page, f"menu-{width}-{username}")
        _check_one_line(page, label)
        _check_groups_open(page, label)
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
    visit(page, f"menu-{WIDTHS[0]}-{username}-axe")

    page.set_viewport_size({"width": FOLDED, "height": HEIGHT})
    assert page.locator(".navbar-toggler").is_visible(), f"{username}: no menu button at {FOLDED}"
    assert not page.locator("#mainNav").is_visible()
    layout = page.evaluate(LAYOUT)
    assert layout["bellShown"] and layout["bell"]["right"] <= FOLDED, layout
    page.get_by_role("button", name="Mở menu").click()
    page.locator("#mainNav.show").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= FOLDED
    shot(page, f"menu-{FOLDED}-{username}-open")


def test_the_english_menu_holds_on_one_line_too(live_server, demo, new_context) -> None:
    """English labels are longer ("Statistics and reports", "Administration")."""
    page = new_context(viewport={"width": WIDTHS[0], "height": HEIGHT}).new_page()
    sign_in(page, live_server, "quantri")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.evaluate("document.documentElement.lang") == "en"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        shot(page, f"menu-{width}-quantri-en")
        _check_one_line(page, f"English at {width} px")
