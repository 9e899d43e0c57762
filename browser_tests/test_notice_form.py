"""A new conclusion notice, as the office's clerk meets it on a tablet: the meeting page's
"Lập thông báo kết luận" looks like the other actions (not greyed out), and the form it opens
starts from the meeting: today's date, the chair as the one who concluded and as the signer,
the text opening with the meeting's time as offices write it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Person, Unit, User
from browser_tests.conftest import sign_in, visit
from core.dates import office_time
from meetings import services as meetings
from meetings.tests.factories import catalog

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 820, "height": 1180}, "is_mobile": True, "has_touch": True}


def test_the_clerk_opens_a_prefilled_notice(demo, live_server, new_context):
    clerk = User.objects.get(username="vanthu")
    chair = Person.objects.get(full_name="Trần Văn Chiến")
    start = (timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    meeting = meetings.meeting_create(
        by=clerk,
        data={
            "title": "Họp điều hành giải ngân vốn đầu tư công quý IV",
            "start_at": start,
            "end_at": start + timedelta(hours=2),
            "organiser_unit": clerk.unit,
            "location": clerk.unit.locations.first(),
            "chair": chair,
            **catalog(),
        },
        invitees=meetings.Invitees(units=[Unit.objects.get(code="STC")]),
    )
    meetings.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")

    page = new_context(**TABLET).new_page()
    sign_in(page, live_server, "vanthu")
    page.goto(live_server.url + reverse("meetings:detail", args=[meeting.pk]))
    button = page.get_by_role("link", name="Lập thông báo kết luận")
    expect(button).to_be_visible()
    expect(button).to_have_class("btn btn-outline-primary")
    visit(page, "notice-button-tablet")

    button.click()
    expect(page.get_by_label("Kết luận của")).to_have_value("Phó Chủ tịch UBND tỉnh Trần Văn Chiến")
    expect(page.get_by_label("Người ký", exact=True)).to_have_value("Trần Văn Chiến")
    expect(page.get_by_label("Ngày ban hành")).to_have_value(
        timezone.localdate().strftime("%d/%m/%Y")
    )
    body = page.get_by_label("Nội dung kết luận").input_value()
    assert office_time(start) in body
    visit(page, "notice-form-prefilled-tablet")
