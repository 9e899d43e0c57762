"""The meeting in the room, end to end: the secretary on a tablet takes the roll (one member in
person, one unit online) while a member checks in with the door's QR code on a phone, then opens a
named vote on an agenda item; the two members vote from their phones while the room's screen
(1920x1080) shows the live count, then the result with percentages once the secretary closes it.
A member asks to speak from the phone, the secretary gives the floor on the control page, and the
screen shows the speaker and the timer (also at 1280x720). Last, a secret vote: while it is open
the screen shows only how many have voted."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Person, Unit, User
from attendance import check_in
from browser_tests.conftest import (
    PHONE,
    ROOM_SCREEN,
    SMALL_SCREEN,
    TABLET,
    check_a11y,
    shot,
    sign_in,
    visit,
)
from meetings import services
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import make_meeting
from voting.models import Vote

pytestmark = pytest.mark.browser

ITEMS = [
    ("Báo cáo tình hình giải ngân vốn đầu tư công 9 tháng", "Sở Tài chính"),
    ("Phương án điều chuyển vốn giữa các dự án", "Sở Kế hoạch và Đầu tư"),
    ("Kết luận của chủ trì", ""),
]
QUESTION = "Thống nhất phương án điều chuyển 120 tỷ đồng giữa các dự án chậm giải ngân"
SECRET_QUESTION = "Đề nghị khen thưởng tập thể Sở Tài chính"


def _meeting() -> Meeting:
    """Published, begun 10 minutes ago; two members invited in person, one unit online."""
    clerk = User.objects.get(username="vanthu")
    start = timezone.now() + timedelta(hours=1)
    meeting = make_meeting(
        by=clerk,
        title="Họp điều hành giải ngân vốn đầu tư công quý III năm 2025",
        start_at=start,
        end_at=start + timedelta(hours=2),
        secretary=User.objects.get(username="thuky"),
        location=clerk.unit.locations.first(),
        persons=[
            Person.objects.get(full_name="Trần Văn Minh"),
            Person.objects.get(full_name="Lê Hoàng Phúc"),
        ],
        units=[Unit.objects.get(code="SKHDT")],
    )
    meeting = services.meeting_publish(
        meeting=meeting, by=clerk, late_reason="Họp đột xuất theo chỉ đạo của UBND tỉnh"
    )
    AgendaItem.objects.filter(meeting=meeting).delete()
    for position, (title, presenter) in enumerate(ITEMS, start=1):
        AgendaItem.objects.create(
            meeting=meeting, position=position, title=title, presenter=presenter
        )
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=timezone.now() - timedelta(minutes=10),
        end_at=timezone.now() + timedelta(hours=2),
    )
    return Meeting.objects.get(pk=meeting.pk)


def _open_vote(secretary: Page, base: str, question: str, *, secret: bool, name: str) -> None:
    secretary.goto(base + "/dieu-hanh/")
    secretary.get_by_role("link", name="Mở biểu quyết").click()
    secretary.wait_for_url("**/bieu-quyet/mo/")
    secretary.get_by_label("Nội dung biểu quyết").fill(question)
    secretary.get_by_label("Thuộc nội dung họp").select_option(label=f"2. {ITEMS[1][0]}")
    if secret:
        secretary.get_by_label("Bỏ phiếu kín", exact=False).check()
    else:
        # The closing time's calendar (dd/mm/yyyy HH:mm), opened and left without a choice.
        secretary.get_by_label("Tự động kết thúc lúc").click()
        expect(secretary.locator(".flatpickr-calendar.open")).to_be_visible()
        secretary.locator(".flatpickr-calendar.open").evaluate(  # its fade-in done
            "calendar => Promise.all(calendar.getAnimations().map(a => a.finished))"
        )
        shot(secretary, "room-vote-date-picker-tablet")
        check_a11y(secretary, "room-vote-date-picker-tablet")  # the open calendar's contrast
        secretary.locator("#id_closes_at").evaluate("input => input._flatpickr.close()")
        expect(secretary.locator(".flatpickr-calendar.open")).to_have_count(0)
        expect(secretary.get_by_label("Tự động kết thúc lúc")).to_have_value("")
    visit(secretary, name)
    with secretary.expect_navigation():
        secretary.get_by_role("button", name="Mở biểu quyết").click()
    expect(secretary.get_by_text("Đã mở biểu quyết.")).to_be_visible()


def _ballot(page: Page, site: str, vote: Vote, option: str, name: str | None = None) -> None:
    page.goto(f"{site}/bieu-quyet/{vote.pk}/")
    button = page.get_by_role("button", name=option, exact=True)
    expect(button).to_be_visible()
    if name:
        visit(page, name)
    url = page.url
    button.click()  # through htmx: the ballots answer in place, the page stays
    expect(page.get_by_text("Đã ghi nhận phiếu biểu quyết.")).to_be_visible()
    expect(page.get_by_text("Đã biểu quyết.")).to_be_visible()
    assert page.url == url


def _fits(screen: Page) -> bool:
    """Nothing spills out of the projector's frame."""
    return screen.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")


def test_a_meeting_in_the_room(live_server, demo, new_context) -> None:
    meeting = _meeting()
    base = f"{live_server.url}/cuoc-hop/{meeting.pk}"
    minh, phuc, skhdt = (
        meeting.invitations.get(person__full_name="Trần Văn Minh"),
        meeting.invitations.get(person__full_name="Lê Hoàng Phúc"),
        meeting.invitations.get(unit__code="SKHDT"),
    )

    # ---- the secretary's tablet: the meeting with its items, the roll ------------------------
    secretary = new_context(**TABLET).new_page()
    sign_in(secretary, live_server, "thuky")
    secretary.goto(base + "/")
    for title, _presenter in ITEMS:
        expect(secretary.get_by_text(title).first).to_be_visible()
    visit(secretary, "meeting-agenda-items")
    secretary.goto(base + "/diem-danh/")
    secretary.locator(f"#roll-{minh.pk}").get_by_text("Có mặt", exact=True).click()
    expect(secretary.locator(f"#roll-{minh.pk}")).to_contain_text("Đã lưu")
    secretary.locator(f"#roll-{skhdt.pk}").get_by_text("Có mặt trực tuyến", exact=True).click()
    expect(secretary.locator(f"#roll-{skhdt.pk}")).to_contain_text("Đã lưu")

    # ---- a member checks in at the door with the QR code -------------------------------------
    phuc_phone = new_context(**PHONE).new_page()
    sign_in(phuc_phone, live_server, "thanhvien")
    phuc_phone.goto(f"{base}/quet-diem-danh/{check_in.make_token(meeting)}/")
    visit(phuc_phone, "attendance-check-in-phone-before")
    with phuc_phone.expect_navigation():
        phuc_phone.get_by_role("button", name="Xác nhận có mặt").click()
    expect(phuc_phone.locator(f"#checked-in-{phuc.pk}")).to_contain_text("Đã điểm danh")
    visit(phuc_phone, "attendance-check-in-phone")

    secretary.reload()
    expect(secretary.locator("#roll-figures")).to_contain_text("có mặt trực tiếp 2")
    expect(secretary.locator("#roll-figures")).to_contain_text("trực tuyến 1")
    expect(secretary.locator(f"#s-{phuc.pk}-present")).to_be_checked()
    expect(secretary.locator(f"#s-{skhdt.pk}-online")).to_be_checked()
    visit(secretary, "attendance-roll-online-tablet")

    # ---- the room's screen, and the control page on the first item ---------------------------
    screen = new_context(**ROOM_SCREEN).new_page()
    sign_in(screen, live_server, "thuky")
    screen.goto(base + "/man-hinh/")
    secretary.goto(base + "/dieu-hanh/")
    secretary.get_by_role("button", name="Chuyển sang nội dung này").first.click()
    expect(secretary.get_by_text("Đang thảo luận")).to_be_visible()
    expect(screen.locator(".screen-item-title")).to_contain_text(ITEMS[0][0])

    # ---- a named vote, opened on the tablet --------------------------------------------------
    _open_vote(secretary, base, QUESTION, secret=False, name="room-vote-open-tablet")
    vote = Vote.objects.get(meeting=meeting, question=QUESTION)
    assert vote.agenda_item is not None and vote.agenda_item.position == 2
    assert not vote.is_secret
    expect(screen.locator(".vs-kind")).to_contain_text("Đang biểu quyết")
    expect(screen.locator(".vs-q")).to_have_text(QUESTION)
    expect(screen.locator(".vs-sub")).to_contain_text("0 phiếu · 3 có mặt · 3 được mời")

    # ---- two members vote from their phones; the screen counts ------------------------------
    minh_phone = new_context(**PHONE).new_page()
    sign_in(minh_phone, live_server, "lanhdao.stc")
    _ballot(minh_phone, live_server.url, vote, "Đồng ý", name="room-vote-phone")
    expect(minh_phone.locator("section .alert-success")).to_contain_text("Đồng ý")
    visit(minh_phone, "room-vote-phone-done")
    expect(screen.locator(".vs-sub")).to_contain_text("1 phiếu · 3 có mặt")
    _ballot(phuc_phone, live_server.url, vote, "Đồng ý")
    rows = screen.locator(".vs-table tbody tr")
    expect(screen.locator(".vs-sub")).to_contain_text("2 phiếu · 3 có mặt · 3 được mời")
    expect(rows.nth(0)).to_contain_text("Đồng ý")
    expect(rows.nth(0).locator(".vs-count")).to_have_text("2")
    expect(screen.locator(".vs-sub")).to_contain_text("đang cập nhật")
    visit(screen, "room-screen-vote-live")

    # ---- the secretary sees the live count and closes the vote ------------------------------
    secretary.goto(f"{live_server.url}/bieu-quyet/{vote.pk}/")
    expect(secretary.locator("#vote-live")).to_contain_text("2 phiếu")
    secretary.once("dialog", lambda dialog: dialog.accept())
    with secretary.expect_navigation():
        secretary.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(secretary.get_by_text("Đã kết thúc biểu quyết")).to_be_visible()
    expect(secretary.get_by_text("Danh sách biểu quyết theo tên")).to_be_visible()
    visit(secretary, "room-vote-result-tablet")
    expect(screen.locator(".vs-kind")).to_contain_text("Kết quả biểu quyết")
    # 2 of 3 present (the unit online voted nothing) and of 3 invited.
    expect(rows.nth(0)).to_have_text(re.compile(r"Đồng ý\s*2\s*66,7%\s*66,7%"))
    expect(rows.nth(1)).to_have_text(re.compile(r"Không đồng ý\s*0\s*0(,0)?%\s*0(,0)?%"))
    expect(screen.locator(".vs-sub")).not_to_contain_text("đang cập nhật")
    visit(screen, "room-screen-vote")
    vote.refresh_from_db()
    assert vote.status == Vote.Status.CLOSED and vote.final_ballots == 2

    # ---- a member asks to speak; the secretary gives the floor ------------------------------
    minh_phone.goto(base + "/")
    minh_phone.get_by_role("link", name="Đăng ký phát biểu").click()
    minh_phone.wait_for_url("**/dang-ky-phat-bieu/")
    with minh_phone.expect_navigation():
        minh_phone.get_by_role("button", name="Đăng ký phát biểu").click()
    expect(minh_phone.get_by_role("button", name="Rút đăng ký")).to_be_visible()
    visit(minh_phone, "room-speak-phone")
    expect(screen.locator(".screen-queue")).to_contain_text("Trần Văn Minh")

    secretary.goto(base + "/dieu-hanh/")
    secretary.get_by_role("button", name="Mời phát biểu").click()
    expect(secretary.locator("#room-panel [data-room-timer]")).to_have_text(re.compile(r"\d+:\d\d"))
    visit(secretary, "room-control-tablet")
    expect(screen.locator(".screen-speaker-name")).to_contain_text("Trần Văn Minh")
    expect(screen.locator(".screen-timer [data-room-timer]")).to_have_text(re.compile(r"\d+:\d\d"))
    assert _fits(screen)
    visit(screen, "room-screen-speaker")

    small = new_context(**SMALL_SCREEN).new_page()
    sign_in(small, live_server, "thuky")
    small.goto(base + "/man-hinh/")
    expect(small.locator(".screen-speaker-name")).to_contain_text("Trần Văn Minh")
    expect(small.locator(".vs-kind")).to_contain_text("Kết quả biểu quyết")
    assert _fits(small)
    visit(small, "room-screen-1280x720")

    # ---- a secret vote: the screen shows only how many have voted ---------------------------
    _open_vote(secretary, base, SECRET_QUESTION, secret=True, name="room-vote-open-secret-tablet")
    secret = Vote.objects.get(meeting=meeting, question=SECRET_QUESTION)
    assert secret.is_secret
    expect(screen.locator(".vs-kind")).to_contain_text("Bỏ phiếu kín")
    expect(screen.locator(".vs-big")).to_have_text("0 / 3")
    _ballot(minh_phone, live_server.url, secret, "Đồng ý")
    expect(minh_phone.locator("section .alert-success")).not_to_contain_text("Đồng ý")
    expect(screen.locator(".vs-big")).to_have_text("1 / 3")
    expect(screen.locator(".vs-table")).to_have_count(0)
    expect(screen.locator(".screen-vote")).not_to_contain_text("Đồng ý")
    visit(screen, "room-screen-secret-vote")
