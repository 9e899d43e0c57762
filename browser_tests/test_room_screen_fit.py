"""The room's screen (B10) with the longest content the forms accept: a meeting's title of 500
characters, an agenda item of 2 000 and its presenter of 255, a vote's question of 2 000 with six
options of 200, a speaker's name and unit of 255 each and a queue of ten. At 1920x1080, 1366x768
and 1280x720 it fits the projector's frame: nothing scrolls, nothing is cut in half, the timer and
the last thing shown are inside the screen (the long texts shortened with an ellipsis)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Unit, User
from accounts.tests.factories import UserFactory
from attendance.models import Presence
from attendance.services import presence_mark
from browser_tests.conftest import shot, sign_in, visit
from meetings import services
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import catalog
from room import services as room_services
from voting import services as voting_services
from voting.models import Option, Vote

pytestmark = pytest.mark.browser

# Sizes here rather than in the shared conftest: the hall's projectors and the laptops beside them.
SCREENS = [(1920, 1080), (1366, 768), (1280, 720)]
QUEUE = 10
# The invited departments, all present: the vote's counts below add up to them.
UNITS = ["STC", "SKHDT", "STTTT", "SNNPTNT", "SNV", "SXD"]


def _field_max(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[attr-defined,return-value]


# The forms' limits where the model has none (text fields): meetings.forms.AgendaItemForm and
# voting.forms.VoteForm both stop at 2 000 characters.
ITEM_TITLE_MAX = 2000
QUESTION_MAX = 2000
OPTIONS = 6


def _long(text: str, length: int) -> str:
    """Real words up to the limit, as a wordy official writes them (no endless unbroken string:
    the forms would take one, but the clamp is tested by words, the ellipsis by the limit)."""
    return ((text + " ") * (length // len(text) + 1))[:length].strip().ljust(length, ".")


def _room() -> Meeting:
    clerk = User.objects.get(username="vanthu")
    secretary = User.objects.get(username="thuky")
    start = timezone.now() + timedelta(hours=1)
    meeting = services.meeting_create(
        by=clerk,
        data={
            "title": _long(
                "Họp rà soát, đánh giá tiến độ giải ngân vốn đầu tư công và các dự án trọng điểm",
                _field_max(Meeting, "title"),
            ),
            "start_at": start,
            "end_at": start + timedelta(hours=2),
            "organiser_unit": clerk.unit,
            "secretary": secretary,
            "location": clerk.unit.locations.first(),
            **catalog(),
        },
        invitees=services.Invitees(units=list(Unit.objects.filter(code__in=UNITS))),
    )
    meeting = services.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    AgendaItem.objects.filter(meeting=meeting).delete()
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=12,
        title=_long(
            "Báo cáo tình hình thực hiện kế hoạch giải ngân vốn đầu tư công năm 2025 của các sở,"
            " ban, ngành và ủy ban nhân dân các huyện, thị xã, thành phố",
            ITEM_TITLE_MAX,
        ),
        presenter=_long(
            "Giám đốc Sở Kế hoạch và Đầu tư, thay mặt Tổ công tác đặc biệt của UBND tỉnh",
            _field_max(AgendaItem, "presenter"),
        ),
    )
    for invitation in meeting.invitations.all():
        presence_mark(invitation=invitation, by=secretary, status=Presence.Status.PRESENT)
    room_services.item_start(meeting=meeting, item=item, by=secretary)
    name_max = _field_max(room_services.Speech, "speaker_name")
    for n in range(QUEUE + 1):
        speech = room_services.floor_request(
            meeting=meeting,
            item=item,
            by=UserFactory(),
            invitation=None,
            name=_long(f"Nguyễn Thị Thanh Hương {n}, Phó Giám đốc phụ trách", name_max),
            speaks_for=_long(
                "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
                _field_max(room_services.Speech, "speaker_for"),
            ),
        )
        if n == 0:
            room_services.floor_give(speech=speech, by=secretary)
    return meeting


def _close_a_vote(meeting: Meeting, options: int = OPTIONS) -> Vote:
    secretary = User.objects.get(username="thuky")
    option_max = _field_max(Option, "label")
    vote = voting_services.vote_open(
        meeting=meeting,
        by=secretary,
        question=_long(
            "Thông qua chủ trương điều chuyển kế hoạch vốn đầu tư công năm 2025 giữa các dự án"
            " chậm giải ngân sang các dự án có khối lượng hoàn thành",
            QUESTION_MAX,
        ),
        options=[
            _long(f"Phương án {n}: đồng ý điều chuyển vốn theo đề xuất của Sở", option_max)
            for n in range(1, options + 1)
        ],
    )
    for n, option in enumerate(vote.options.order_by("position")[:6]):
        Option.objects.filter(pk=option.pk).update(tally=[3, 1, 1, 0, 1, 0][n])
    return voting_services.vote_close(vote=vote, by=secretary)


# Every element of the screen that shows any part of itself (inside the boxes that clip it) must
# show all of itself: nothing cut in half at the bottom, nothing past the frame.
FIT = """() => {
  const view = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
  const cut = (a, b) => ({left: Math.max(a.left, b.left), top: Math.max(a.top, b.top),
                          right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom)});
  const empty = r => r.right - r.left < 1 || r.bottom - r.top < 1;
  const within = (r, c) => r.left >= c.left - 1 && r.top >= c.top - 1
                           && r.right <= c.right + 1 && r.bottom <= c.bottom + 1;
  const clipOf = e => { let c = view;
    for (let a = e.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible')
        c = cut(c, a.getBoundingClientRect());
    } return c; };
  const shown = [], halfCut = [];
  for (const e of document.querySelectorAll('#room-screen *')) {
    if (e.ownerSVGElement) continue;  // drawn inside its <svg>, which is the box that counts
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    if (empty(r) || s.visibility === 'hidden' || s.display === 'none') continue;
    const c = clipOf(e);
    if (empty(cut(r, c))) continue;
    const name = e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40);
    const box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    shown.push({name, box});
    if (!within(r, c) || !within(r, view)) halfCut.push({name, box, clip: c});
  }
  const timer = document.querySelector('[data-room-timer]');
  const t = timer && timer.getBoundingClientRect();
  return {
    scrollHeight: document.documentElement.scrollHeight,
    scrollWidth: document.documentElement.scrollWidth,
    bodyScrollHeight: document.body.scrollHeight,
    innerHeight, innerWidth, last: shown[shown.length - 1], halfCut: halfCut.slice(0, 8),
    timer: t && {left: t.left, top: t.top, right: t.right, bottom: t.bottom, height: t.height},
    timerText: timer && timer.textContent,
  };
}"""


def _check_fit(page: Page, label: str, *, with_timer: bool = True) -> None:
    fit = page.evaluate(FIT)
    width, height = fit["innerWidth"], fit["innerHeight"]
    assert fit["scrollHeight"] <= height, f"{label}: the screen scrolls down: {fit}"
    assert fit["bodyScrollHeight"] <= height, f"{label}: the page is taller than the screen: {fit}"
    assert fit["scrollWidth"] <= width, f"{label}: the screen scrolls sideways: {fit}"
    last = fit["last"]["box"]
    assert last["bottom"] <= height + 1 and last["right"] <= width + 1, f"{label}: {fit['last']}"
    assert not fit["halfCut"], f"{label}: cut off at the frame: {fit['halfCut']}"
    if with_timer:
        timer = fit["timer"]
        assert timer is not None, f"{label}: no timer"
        assert timer["top"] >= 0 and timer["bottom"] <= height, f"{label}: the timer is cut: {fit}"
        assert timer["left"] >= 0 and timer["right"] <= width, f"{label}: {timer}"
        # Still read from the back of the hall: at least a twentieth of the screen's height.
        assert timer["height"] >= height / 20, f"{label}: the timer is too small: {timer}"
        assert ":" in fit["timerText"], fit["timerText"]


def test_the_longest_room_fits_the_screen(live_server, demo, new_context) -> None:
    meeting = _room()
    width, height = SCREENS[0]
    page = new_context(viewport={"width": width, "height": height}).new_page()
    # Screenshots of a page polled every second take their time on a busy machine.
    page.set_default_timeout(30_000)
    sign_in(page, live_server, "thuky")
    page.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/man-hinh/")
    expect(page.locator("[data-room-timer]")).to_contain_text(":")
    expect(page.locator(".screen-queue li")).not_to_have_count(0)
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"room-screen-longest-{width}x{height}")
        _check_fit(page, f"speaker and queue at {width}x{height}")

    _close_a_vote(meeting)
    expect(page.locator(".vs-table tbody tr")).to_have_count(OPTIONS, timeout=5000)
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"room-screen-longest-vote-{width}x{height}")
        _check_fit(page, f"vote, speaker and queue at {width}x{height}")
    visit(page, "room-screen-longest-vote")


@pytest.mark.parametrize("options", [10, voting_services.MAX_OPTIONS])
def test_a_vote_with_more_options_fits_too(live_server, demo, new_context, options) -> None:
    """The form takes up to voting.services.MAX_OPTIONS options: smaller rows, never a cut table."""
    meeting = _room()
    _close_a_vote(meeting, options=options)
    width, height = SCREENS[0]
    page = new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(30_000)
    sign_in(page, live_server, "thuky")
    page.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/man-hinh/")
    rows = page.locator(".vs-table tbody tr")
    expect(rows).to_have_count(options)
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"room-screen-{options}-options-{width}x{height}")
        _check_fit(page, f"{options} options at {width}x{height}")
        assert rows.last.is_visible()
