"""Headless Chromium (Debian's, never a downloaded one) driving the real pages through Playwright.

One browser for the folder, one fresh context (cookies, storage) per test. Every page a test
visits gets a full-page screenshot under test-output/screenshots/ and an axe-core run that fails
the test on serious or critical WCAG 2.1 A/AA violations. The site's Content-Security-Policy stays
in force: axe-core is served as if from the site itself, and any CSP violation fails the test."""

import json
import os
import re
import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from core.testing.flush import Snapshot
from operations.management.commands.load_demo import DEMO_PASSWORD

# Debian's build of Chromium's headless shell (package chromium-headless-shell, the same version
# as the chromium package): the browser without its windowing layer and top-level UI, which is
# what Playwright itself runs for headless tests. On this machine it spent about a third less CPU
# than the full browser in headless mode for the same tests (the browser tests are CPU-bound:
# 5 min -> 3 min 45 s on two workers). The full browser is used where the shell is missing.
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
CHROMIUM = os.environ.get(
    "CHROMIUM_BIN", HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe-core answers at this address on every site the browser opens, so that the page loads it as
# one of its own scripts and CSP (script-src 'self') needs no bypass. The server never sees it.
AXE_PATH = "/__browser-tests__/axe.min.js"
# Gathers CSP violations in the page (init scripts run outside the page's CSP).
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.__cspViolations.push(
    e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile
    + ":" + e.lineNumber));
"""
LOGIN_PATH = "/tai-khoan/dang-nhap/"
CODE_STEP_PATH = "/tai-khoan/xac-thuc-hai-buoc/"
DASHBOARD_PATH = "/bang-dieu-khien/"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


# ---- the devices the browser tests use ------------------------------------------------------
# One set of sizes for every browser test: new_context(**PHONE) opens a page as on that device.
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# The room's screens (a projector or a TV in the meeting room), largest first.
ROOM_SCREEN = {"viewport": {"width": 1920, "height": 1080}}
LAPTOP_SCREEN = {"viewport": {"width": 1366, "height": 768}}
SMALL_SCREEN = {"viewport": {"width": 1280, "height": 720}}
ROOM_SCREENS = [ROOM_SCREEN, LAPTOP_SCREEN, SMALL_SCREEN]
# Two the tests need besides: the narrowest phone the pages must fit without scrolling sideways,
# and the tablet held upright, as people read documents on it.
NARROW_PHONE = {"viewport": {"width": 360, "height": 760}, "is_mobile": True}
TABLET_PORTRAIT = {
    "viewport": {"width": 768, "height": 1024},
    "is_mobile": True,
    "has_touch": True,
}
# The tablets offices hand out for reading meetings' documents, upright (the offline reading).
READING_TABLET = {
    "viewport": {"width": 800, "height": 1280},
    "is_mobile": True,
    "has_touch": True,
}
DEVICES = {
    "desktop": DESKTOP,
    "tablet": TABLET,
    "phone": PHONE,
    "room-screen": ROOM_SCREEN,
    "laptop-screen": LAPTOP_SCREEN,
    "small-screen": SMALL_SCREEN,
    "narrow-phone": NARROW_PHONE,
    "tablet-portrait": TABLET_PORTRAIT,
    "reading-tablet": READING_TABLET,
}


def size_name(device: dict) -> str:
    """ "1280x720": for screenshot names."""
    return f"{device['viewport']['width']}x{device['viewport']['height']}"


def output_dir() -> Path:
    return Path(settings.BASE_DIR) / "test-output"


def safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name)


def shot(page: Page, name: str) -> Path:
    """A full-page screenshot, test-output/screenshots/<name>.png."""
    folder = output_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        origin = re.match(r"^https?://[^/]+", page.url).group(0)  # type: ignore[union-attr]
        page.add_script_tag(url=origin + AXE_PATH)
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
                   .then(result => result.violations.map(v => ({
                       id: v.id, impact: v.impact, help: v.help,
                       targets: v.nodes.map(n => n.target.join(' ')),
                   })))""",
        WCAG_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    return "\n".join(
        f"  - {v['id']} ({v['impact']}): {v['help']}\n      " + "\n      ".join(v["targets"][:10])
        for v in violations
    )


# Violations in Django's own admin markup that our templates cannot reach, tolerated on /admin/
# pages only and only for exactly the elements named, so anything else still fails. Each entry:
# rule id -> (pattern every target must match, why). Remove an entry once the admin is fixed.
# Violations inside Django's own admin that we cannot fix from our side, with the reason; none now.
THIRD_PARTY_ADMIN_VIOLATIONS: dict[str, tuple[re.Pattern[str], str]] = {}


def tolerated_in_admin(page: Page, violation: dict) -> bool:
    known = THIRD_PARTY_ADMIN_VIOLATIONS.get(violation["id"])
    return (
        known is not None
        and path_of(page).startswith("/admin/")
        and all(known[0].match(target) for target in violation["targets"])
    )


def settle(page: Page) -> None:
    """Wait (up to 3 s) until no CSS transition or animation runs and no panel is collapsing.
    Polled from here: the pages' CSP forbids the string evaluation of `wait_for_function`."""
    still = (
        "() => !!document.querySelector('.collapsing') || document.getAnimations()"
        ".some(a => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity)"
    )
    deadline = time.monotonic() + 3
    while page.evaluate(still) and time.monotonic() < deadline:
        page.wait_for_timeout(50)


def check_a11y(page: Page, name: str) -> None:
    """Fail on serious or critical WCAG 2.1 A/AA violations (axe-core). Every violation, the
    lesser ones included, is kept in test-output/axe/<name>.json for whoever polishes the pages.
    The pointer is moved off the page's controls (the last click leaves it over whatever moved under
    it, whose hover colours then fade in) and the page read once its transitions have ended: a
    panel still opening (Bootstrap's collapse) or a button fading is measured mid-fade otherwise."""
    page.mouse.move(0, 0)
    settle(page)
    violations = axe_violations(page)
    tolerated = [v for v in violations if tolerated_in_admin(page, v)]
    folder = output_dir() / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    report = {
        "url": page.url,
        "violations": violations,
        "tolerated_third_party": [
            {"id": v["id"], "why": THIRD_PARTY_ADMIN_VIOLATIONS[v["id"]][1]} for v in tolerated
        ],
    }
    (folder / f"{safe_name(name)}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    for violation in tolerated:
        warnings.warn(
            f"axe-core, tolerated in Django's admin: {violation['id']} "
            f"({THIRD_PARTY_ADMIN_VIOLATIONS[violation['id']][1]})",
            stacklevel=2,
        )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS and v not in tolerated]
    if blocking:
        pytest.fail(
            f"axe-core: serious or critical accessibility violations on {name} ({page.url}):\n"
            + format_violations(blocking),
            pytrace=False,
        )


def check_csp(page: Page, name: str) -> None:
    """Fail if the page broke its own Content-Security-Policy (a blocked script, style, image)."""
    violations = page.evaluate("window.__cspViolations || []")
    if violations:
        pytest.fail(
            f"Content-Security-Policy violations on {name} ({page.url}):\n  - "
            + "\n  - ".join(violations),
            pytrace=False,
        )


def visit(page: Page, name: str) -> None:
    """What every visited page gets: a screenshot, the CSP check, the accessibility check."""
    shot(page, name)
    check_csp(page, name)
    check_a11y(page, name)


def sign_in(page: Page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill and send the product's sign-in form; waits for the page that answers. An account with
    an authenticator (the demo's admins and clerks, see `demo`) then gives the app's code."""
    page.goto(live_server.url + LOGIN_PATH)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
    if path_of(page) == CODE_STEP_PATH:
        page.fill("input[name=code]", app_code(username))
        with page.expect_navigation():
            page.get_by_role("button", name="Xác nhận", exact=True).click()


def app_code(username: str) -> str:
    """What the account's authenticator app shows. Each code is taken once (django-otp remembers
    the last time step used), so a second sign-in within the same 30 s takes the next step's code,
    which the server still accepts (tolerance 1), or waits for it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.tests.factories import totp_code

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    # django-otp's time step, moved by the drift it learnt from earlier codes.
    now = int(time.time()) // device.step + device.drift
    step = max(now, device.last_t + 1)
    if step > now + device.tolerance:
        time.sleep((step - device.tolerance - device.drift) * device.step - time.time() + 0.5)
    return totp_code(device, at=step * device.step + 1)  # the code of that time step


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]


def serve_axe(route: Route) -> None:
    route.fulfill(
        path=Path(settings.BASE_DIR) / "node_modules/axe-core/axe.min.js",
        content_type="application/javascript; charset=utf-8",
    )


# ---- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all the browser tests. Package scope, not session: while Playwright runs,
    its event loop counts as running in this thread, and the tests outside this folder must
    neither see that loop nor the DJANGO_ALLOW_ASYNC_UNSAFE that goes with it (manage.py check
    --deploy, run by another test, rightly refuses that variable)."""
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    # Playwright's sync API keeps an event loop running in this thread; Django would otherwise
    # refuse the database queries the tests make between browser steps.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Make as many independent browser sessions as a test needs (e.g. an admin and a user)."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        # The service worker (reading offline) is kept out unless a test asks for it: it would
        # answer some requests from the device and hide them from the tests that count them.
        options = {
            "locale": "vi-VN",
            "timezone_id": "Asia/Ho_Chi_Minh",
            "service_workers": "block",
            # Bootstrap's fades and slides off (prefers-reduced-motion): the pages end in the
            # same state, without the frames in between that Chromium would draw and we would
            # wait out. Measured: a tenth less CPU for the browser tests.
            "reduced_motion": "reduce",
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.route(f"**{AXE_PATH}", serve_axe)
        context.add_init_script(CSP_WATCH)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


# The demo's rows, made once per worker and put back before each test that asks for the demo
# (core.testing.flush.Snapshot: tenths of a second instead of seconds). Made again on another
# day or after ten minutes, so that its times, anchored to today and to the clock, stay true.
_demo_snapshot: dict[tuple[date, str], tuple[float, Snapshot]] = {}
DEMO_SNAPSHOT_SECONDS = 600


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo province and its accounts (password DEMO_PASSWORD). The accounts whose role must
    use two-factor sign-in (the admin and the clerk) have an authenticator (`sign_in` gives its
    code); enrolment itself is tested in test_two_factor.py."""
    from django.db import connection
    from django.test import override_settings

    from accounts.models import User
    from accounts.tests.factories import TOTPDeviceFactory

    key = (timezone.localdate(), connection.settings_dict["NAME"])
    if key in _demo_snapshot and time.monotonic() - _demo_snapshot[key][0] < DEMO_SNAPSHOT_SECONDS:
        _demo_snapshot[key][1].restore()
        return
    # The demo's documents are not converted, read and checked in each test (seconds each): the
    # tests of the viewer, the search in documents and the signatures upload their own.
    with override_settings(DOCUMENT_PROCESSING=False):
        call_command("load_demo", quiet=True)
    for user in User.objects.filter(role__in=settings.TWO_FACTOR_REQUIRED_ROLES):
        TOTPDeviceFactory(user=user)
    _demo_snapshot.clear()
    _demo_snapshot[key] = (time.monotonic(), Snapshot())
