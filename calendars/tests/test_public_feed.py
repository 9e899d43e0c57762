"""The public schedule as an iCalendar feed (S1, B1): what the public page shows, nothing more."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from calendars.tests.conftest import summaries
from meetings.tests.factories import make_document, make_meeting, publish

pytestmark = pytest.mark.django_db


def test_the_public_feed_has_public_meetings_only_and_no_documents(
    client, clerk, department
) -> None:
    public = make_meeting(
        by=clerk,
        units=[department],
        title="Họp công khai",
        agenda="Chương trình nội bộ chi tiết",
        online_link="https://meet.example/x",
    )
    make_document(public, clerk, "Báo cáo mật quý III.pdf")
    publish(public, clerk)
    hidden = publish(
        make_meeting(by=clerk, units=[department], title="Họp nội bộ", is_public=False), clerk
    )
    make_meeting(by=clerk, units=[department], title="Dự thảo công khai")

    response = client.get(reverse("calendars:public_feed"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    text = response.content.decode()
    calendar = Calendar.from_ical(response.content)
    assert summaries(calendar) == [public.title]
    assert hidden.title not in text and "Dự thảo" not in text
    assert "Báo cáo mật" not in text and "/tai-lieu/" not in text
    assert "meet.example" not in text and "nội bộ chi tiết" not in text
    assert reverse("meetings:public_detail", args=[public.pk]) in text
    assert f"/cuoc-hop/{public.pk}/" not in text  # the invitees' page is not for the public


def test_the_public_schedule_page_links_to_the_feed(client) -> None:
    page = client.get(reverse("meetings:schedule")).content.decode()
    assert reverse("calendars:public_feed") in page and "Đăng ký lịch (iCal)" in page


def test_the_public_feed_takes_get_and_head_only(client) -> None:
    url = reverse("calendars:public_feed")
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
