"""Danh mục (A5) kept by the admin in Django's admin, every change in the audit log (D3)."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from accounts.models import Unit, User
from browser_tests.conftest import path_of, sign_in, visit
from catalogs.models import Location, MeetingType

pytestmark = pytest.mark.browser


def save(page) -> None:
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator("ul.messagelist li.success").count() == 1, page.locator(
        ".errornote, .errorlist"
    ).all_inner_texts()


def test_admin_creates_and_edits_catalog_entries_and_rooms(live_server, demo, page) -> None:
    admin = User.objects.get(username="quantri")
    sign_in(page, live_server, "quantri")

    # A meeting type, then a change of its name.
    page.goto(live_server.url + "/admin/catalogs/meetingtype/add/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thêm loại hình họp"
    visit(page, "catalog-meetingtype-add")
    page.fill("#id_code", "khan-truc-tuyen")
    page.fill("#id_name", "Họp trực tuyến khẩn cấp")
    page.fill("#id_min_notice_days", "1")
    save(page)
    assert path_of(page) == "/admin/catalogs/meetingtype/"
    visit(page, "catalog-meetingtype-list")
    meeting_type = MeetingType.objects.get(code="khan-truc-tuyen")
    assert meeting_type.name == "Họp trực tuyến khẩn cấp"
    assert meeting_type.min_notice_days == 1
    assert meeting_type.is_active

    page.locator("#result_list").get_by_role("link", name="Họp trực tuyến khẩn cấp").click()
    page.wait_for_url(f"**/admin/catalogs/meetingtype/{meeting_type.pk}/change/")
    visit(page, "catalog-meetingtype-change")
    page.fill("#id_name", "Họp trực tuyến khẩn cấp (bất thường)")
    save(page)
    results = page.locator("#result_list")
    assert results.get_by_role("link", name="Họp trực tuyến khẩn cấp (bất thường)").is_visible()
    meeting_type.refresh_from_db()
    assert meeting_type.name == "Họp trực tuyến khẩn cấp (bất thường)"

    # A room of the Department of Finance; the unit is picked in the autocomplete box.
    page.goto(live_server.url + "/admin/catalogs/location/add/")
    visit(page, "catalog-location-add")
    page.fill("#id_name", "Phòng họp trực tuyến STC")
    page.fill("#id_capacity", "25")
    page.check("#id_has_video_conference")
    page.click("#id_unit + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Tài chính")
    page.locator(".select2-results__option", has_text="Sở Tài chính").click()
    assert page.locator("#id_unit").input_value() == str(Unit.objects.get(code="STC").pk)
    visit(page, "catalog-location-unit-picked")
    save(page)
    results = page.locator("#result_list")
    assert results.get_by_role("link", name="Phòng họp trực tuyến STC", exact=True).is_visible()
    visit(page, "catalog-location-list")
    room = Location.objects.get(name="Phòng họp trực tuyến STC")
    assert room.unit.code == "STC"
    assert room.capacity == 25
    assert room.has_video_conference

    # Who changed what, from where.
    type_entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(MeetingType), object_pk=str(meeting_type.pk)
    ).order_by("timestamp")
    assert [entry.action for entry in type_entries] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]
    assert type_entries[1].changes_dict["name"] == [
        "Họp trực tuyến khẩn cấp",
        "Họp trực tuyến khẩn cấp (bất thường)",
    ]
    room_entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Location), object_pk=str(room.pk)
    )
    assert room_entry.action == LogEntry.Action.CREATE
    for entry in [*type_entries, room_entry]:
        assert entry.actor == admin
        assert entry.remote_addr == "127.0.0.1"
