"""Rows rendered once per process for the same content (core.fragments): a kept row is exactly
the row rendered afresh, and any change of what it shows, of the language or of the time zone
renders it again."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from core import fragments
from core.fragments import fragment
from meetings.models import Meeting

ROW = "meetings/_row.html"


def row(**changed: object) -> dict[str, object]:
    values: dict[str, object] = {
        "pk": 7,
        "title": "Họp <b>giao ban</b> tuần",
        "start_at": datetime(2026, 12, 7, 1, 30, tzinfo=UTC),
        "end_at": datetime(2026, 12, 7, 3, 0, tzinfo=UTC),
        "location": "Phòng họp số 1",
        "online": True,
        "organiser": "Văn phòng UBND",
        "phase": "upcoming",
        "phase_label": "Sắp diễn ra",
        "unread": True,
        "match_document": None,
        "match_title": "",
        "match_snippet": "",
        "q": "",
    }
    values.update(changed)
    return values


def fresh(template: str, values: dict[str, object], settings) -> str:
    settings.DEBUG = True  # nothing kept: rendered now
    try:
        return fragment(template, **values)
    finally:
        settings.DEBUG = False


def test_a_kept_row_is_the_row_rendered_afresh(settings) -> None:
    settings.DEBUG = False
    fragments.forget()
    first = fragment(ROW, **row())
    assert fragments._kept.cache_info().currsize == 1
    assert fragment(ROW, **row()) == first
    assert fragments._kept.cache_info().hits == 1
    assert fresh(ROW, row(), settings) == first
    # Escaped, in local time (Asia/Ho_Chi_Minh, UTC+7), marked new, online.
    assert "Họp &lt;b&gt;giao ban&lt;/b&gt; tuần" in first
    assert "08:30" in first and "10:00" in first
    assert "Mới" in first and "Trực tuyến" in first


@pytest.mark.parametrize(
    ("changed", "shown", "gone"),
    [
        ({"title": "Họp giao ban tháng"}, "Họp giao ban tháng", "tuần"),
        ({"start_at": datetime(2026, 12, 8, 2, 0, tzinfo=UTC)}, "09:00 08/12/2026", "07/12/2026"),
        ({"location": ""}, "Văn phòng UBND", "Phòng họp số 1"),
        ({"online": False}, "Văn phòng UBND", "Trực tuyến"),
        ({"unread": False}, "Sắp diễn ra", "Mới"),
        ({"phase": "in_progress", "phase_label": "Đang họp"}, "phase-in_progress", "Sắp diễn ra"),
        ({"pk": 8}, "/cuoc-hop/8/", "/cuoc-hop/7/"),
    ],
)
def test_any_change_of_what_a_row_shows_renders_it_again(settings, changed, shown, gone) -> None:
    settings.DEBUG = False
    fragment(ROW, **row())
    changed_row = fragment(ROW, **row(**changed))
    assert shown in changed_row
    assert gone not in changed_row
    assert changed_row == fresh(ROW, row(**changed), settings)


def test_an_escaped_snippet_and_the_same_raw_text_are_two_values(settings) -> None:
    """A search snippet comes escaped and marked up; the same characters as plain text must still
    be escaped, whichever was kept first."""
    settings.DEBUG = False
    text = "<mark>ngân sách</mark> & <script>x</script>"
    for order in ((text, mark_safe(text)), (mark_safe(text), text)):  # noqa: S308
        fragments.forget()
        written = [
            fragment(
                ROW, **row(match_document=3, match_title="Tờ trình", match_snippet=s, q="ngân")
            )
            for s in order
        ]
        raw, marked = written if order[0] is text else reversed(written)
        assert "&lt;mark&gt;ngân sách&lt;/mark&gt; &amp; &lt;script&gt;" in raw
        assert "<mark>ngân sách</mark> & <script>x</script>" in marked
        assert "?q=ng%C3%A2n" in raw


def test_the_language_and_the_time_zone_are_part_of_the_key(settings) -> None:
    settings.DEBUG = False
    vi = fragment(ROW, **row())
    with translation.override("en"):
        en = fragment(ROW, **row())
    with timezone.override("UTC"):
        utc = fragment(ROW, **row())
    assert "Mới" in vi and "New" in en and "Mới" not in en
    assert "08:30" in vi and "08:30" not in utc and "01:30" in utc
    assert fragment(ROW, **row()) == vi


def test_with_debug_on_nothing_is_kept(settings) -> None:
    settings.DEBUG = True
    fragments.forget()
    fragment(ROW, **row())
    assert fragments._kept.cache_info().currsize == 0


@pytest.mark.django_db
def test_the_list_shows_a_changed_meeting_at_the_next_request(client_for, meetings) -> None:
    """Changed without a signal (an UPDATE of the table): the next list shows it, since the row's
    key is what the row shows."""
    client = client_for("unit_clerk")
    url = reverse("meetings:list")
    assert "Họp bàn kế hoạch năm" in client.get(url).content.decode()
    Meeting.objects.filter(pk=meetings["published"].pk).update(title="Họp bàn kế hoạch 2027")
    page = client.get(url).content.decode()
    assert "Họp bàn kế hoạch 2027" in page
    assert "Họp bàn kế hoạch năm" not in page
