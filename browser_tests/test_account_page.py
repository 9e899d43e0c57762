"""The account page on a phone: the signed-in sessions' table, with another device listed (its
sign-out button holds the device's name for screen readers in the last column), scrolls inside
its own box and the page stays as wide as the screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from browser_tests.conftest import NARROW_PHONE, PHONE, sign_in
from browser_tests.steps import step


@pytest.mark.parametrize("device", [PHONE, NARROW_PHONE], ids=["phone", "narrow-phone"])
def test_the_account_page_fits_a_phone(demo, live_server, new_context, device) -> None:
    sign_in(new_context().new_page(), live_server, "thanhvien")  # another device, a computer
    page = new_context(**device).new_page()
    sign_in(page, live_server, "thanhvien")
    page.goto(live_server.url + reverse("accounts:account"))
    expect(page.locator(".session-row")).to_have_count(2)
    width = device["viewport"]["width"]
    step(page, f"account-sessions-{width}")
    sessions = page.locator("#sessions + .table-responsive")
    assert sessions.evaluate("box => box.scrollWidth > box.clientWidth")  # it scrolls, inside
