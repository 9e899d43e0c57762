"""Steps the browser journeys share: the devices each role uses, the check every visited page
gets (screenshot, CSP, axe-core, nothing wider than the viewport), text at a form's maximum
length, the demo's people and a meeting under way built with the factories, and the few page
steps more than one role takes (opening a vote, casting a ballot, asking to speak)."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Person, Unit, User
from browser_tests.conftest import ROOM_SCREENS, visit
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import make_meeting, publish
from operations.management.commands.load_demo import DEMO_PASSWORD

# The sizes each role holds come from conftest: the clerk's office screen, a tablet on the meeting
# table, a phone, and the room's projector or television at its common resolutions.
SCREENS: list[dict[str, int]] = [device["viewport"] for device in ROOM_SCREENS]

# Wording of the kind the province's papers use, repeated and cut to a field's maximum length.
PROSE = (
    "Báo cáo tình hình thực hiện kế hoạch đầu tư công năm 2025 và phương án điều chuyển vốn "
    "giữa các dự án chậm giải ngân sang các dự án có khả năng hấp thụ vốn tốt, bảo đảm hoàn "
    "thành mục tiêu giải ngân trên 95% kế hoạch được Thủ tướng Chính phủ giao; đề xuất giải "
    "pháp tháo gỡ khó khăn về giải phóng mặt bằng, nguồn vật liệu san lấp và thủ tục đầu tư. "
)
ITEMS = [
    ("Báo cáo tình hình giải ngân vốn đầu tư công 9 tháng năm 2025", "Sở Tài chính"),
    ("Phương án điều chuyển vốn giữa các dự án", "Sở Kế hoạch và Đầu tư"),
    ("Kết luận của chủ trì cuộc họp", ""),
]


def text_of_length(length: int, start: str = "") -> str:
    """Vietnamese prose of exactly `length` characters, beginning with `start`."""
    text = start
    while len(text) < length:
        text += PROSE
    return text[:length].rstrip().ljust(length, ".")


def fits_width(page: Page, name: str) -> None:
    """Nothing on the page is wider than the device: no sideways scrolling. On a phone (a mobile
    viewport) the browser zooms out to show a page wider than the screen whole, and the window's
    width grows with it, so both are held to the device's width."""
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    device = page.viewport_size["width"] if page.viewport_size else widths["inner"]
    widths["device"] = device
    assert widths["scroll"] <= min(widths["inner"], device), (
        f"{name} overflows its viewport: {widths}"
    )


def fits_screen(page: Page, name: str) -> None:
    """The room's screen is not scrolled by anyone: it fits both ways."""
    fits_width(page, name)
    heights = page.evaluate(
        "({scroll: document.documentElement.scrollHeight, inner: window.innerHeight})"
    )
    assert heights["scroll"] <= heights["inner"] + 1, f"{name} is taller than the screen: {heights}"


def step(page: Page, name: str) -> None:
    """Every page a journey visits: screenshot, CSP, axe-core, nothing overflowing sideways."""
    visit(page, name)
    fits_width(page, name)


# ---- people and meetings -------------------------------------------------------------------
def account(username: str) -> User:
    return User.objects.get(username=username)


def chair_account() -> User:
    """An account for the demo's Vice-Chairman, whose person chairs the meetings below."""
    person = Person.objects.get(full_name="Trần Văn Chiến")
    existing = User.objects.filter(person=person).first()  # the demo gives the chairs accounts
    if existing is not None:
        existing.set_password(DEMO_PASSWORD)
        existing.save()
        return existing
    user, _created = User.objects.get_or_create(
        username="chutri",
        defaults={
            "full_name": person.full_name,
            "role": User.Role.MEMBER,
            "unit": person.unit,
            "person": person,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def meeting_under_way(title: str, *, chair: Person | None = None) -> Meeting:
    """Published by the office's clerk with three agenda items, begun ten minutes ago; two
    members invited by name (Trần Văn Minh, Lê Hoàng Phúc) and one unit (Sở Kế hoạch và Đầu tư)
    online. The secretary is the demo's."""
    clerk = account("vanthu")
    meeting = make_meeting(
        by=clerk,
        title=title,
        days_ahead=1,
        secretary=account("thuky"),
        chair=chair,
        persons=[
            Person.objects.get(full_name="Trần Văn Minh"),
            Person.objects.get(full_name="Lê Hoàng Phúc"),
        ],
        units=[Unit.objects.get(code="SKHDT")],
    )
    meeting = publish(meeting, clerk)
    set_agenda(meeting)
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=now - timedelta(minutes=10), end_at=now + timedelta(hours=2)
    )
    return Meeting.objects.get(pk=meeting.pk)


def set_agenda(meeting: Meeting) -> None:
    """The three items of ITEMS in place of the factory's free-text agenda."""
    AgendaItem.objects.filter(meeting=meeting).delete()
    for position, (title, presenter) in enumerate(ITEMS, start=1):
        AgendaItem.objects.create(
            meeting=meeting, position=position, title=title, presenter=presenter
        )


# ---- page steps more than one role takes ---------------------------------------------------
def open_vote(secretary: Page, meeting: Meeting, question: str, name: str) -> None:
    """From the meeting page: "Biểu quyết: mở, theo dõi", then "Mở biểu quyết" on item 2."""
    secretary.get_by_role("link", name="Biểu quyết: mở, theo dõi").click()
    secretary.wait_for_url(f"**/cuoc-hop/{meeting.pk}/bieu-quyet/")
    secretary.get_by_role("link", name="Mở biểu quyết").click()
    secretary.wait_for_url("**/bieu-quyet/mo/")
    secretary.get_by_label("Nội dung biểu quyết").fill(question)
    secretary.get_by_label("Thuộc nội dung họp").select_option(label=f"2. {ITEMS[1][0]}")
    step(secretary, name)
    with secretary.expect_navigation():
        secretary.get_by_role("button", name="Mở biểu quyết").click()
    expect(secretary.get_by_text("Đã mở biểu quyết.")).to_be_visible()


def cast_ballot(member: Page, meeting: Meeting, option: str, name: str) -> None:
    """From the meeting page: "Biểu quyết", the open vote, then the option (answered in place)."""
    member.goto(f"{origin(member)}/cuoc-hop/{meeting.pk}/")
    member.get_by_role("link", name="Biểu quyết", exact=True).click()
    member.wait_for_url(f"**/cuoc-hop/{meeting.pk}/bieu-quyet/")
    step(member, f"{name}-list")
    member.locator("#vote-list a").first.click()
    member.wait_for_url("**/bieu-quyet/*/")
    button = member.get_by_role("button", name=option, exact=True)
    expect(button).to_be_visible()
    step(member, name)
    button.click()
    expect(member.get_by_text("Đã ghi nhận phiếu biểu quyết.")).to_be_visible()
    step(member, f"{name}-done")


def ask_to_speak(member: Page, meeting: Meeting, name: str) -> None:
    member.goto(f"{origin(member)}/cuoc-hop/{meeting.pk}/")
    member.get_by_role("link", name="Đăng ký phát biểu").click()
    member.wait_for_url("**/dang-ky-phat-bieu/")
    step(member, f"{name}-form")
    with member.expect_navigation():
        member.get_by_role("button", name="Đăng ký phát biểu").click()
    expect(member.get_by_role("button", name="Rút đăng ký")).to_be_visible()
    step(member, name)


def origin(page: Page) -> str:
    return "/".join(page.url.split("/")[:3])
