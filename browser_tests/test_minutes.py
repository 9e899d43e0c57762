"""The minutes, end to end: after the meeting (roll taken, a vote closed, comments consolidated)
the secretary drafts the minutes from the meeting's data on a tablet, corrects the conclusion and
saves a second version; the chair (Phó Chủ tịch UBND tỉnh, the demo account `phochutich`) reads
and approves them with a number; an invited member opens them from the meeting page on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Person, Unit, User
from attendance.models import Presence
from browser_tests.conftest import PHONE, TABLET, shot, sign_in, visit
from comments.services import summary_save
from meetings import services
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import make_meeting
from minutes.models import Minutes
from voting import services as voting

pytestmark = pytest.mark.browser

CONCLUSION = "Thống nhất điều chuyển 120 tỷ đồng; Sở Tài chính tham mưu văn bản trước 15/12."


def _held_meeting(chair: Person) -> Meeting:
    clerk = User.objects.get(username="vanthu")
    secretary = User.objects.get(username="thuky")
    start = timezone.now() + timedelta(hours=1)
    meeting = make_meeting(
        by=clerk,
        title="Họp điều hành giải ngân vốn đầu tư công quý IV",
        start_at=start,
        end_at=start + timedelta(hours=2),
        secretary=secretary,
        chair=chair,
        location=clerk.unit.locations.first(),
        persons=[Person.objects.get(full_name="Lê Hoàng Phúc")],
        units=[Unit.objects.get(code="SKHDT")],
    )
    meeting = services.meeting_publish(meeting=meeting, by=clerk, late_reason="Họp đột xuất")
    AgendaItem.objects.filter(meeting=meeting).delete()
    item = AgendaItem.objects.create(
        meeting=meeting, position=1, title="Phương án điều chuyển vốn", presenter="Sở Tài chính"
    )
    person, unit = meeting.invitations.order_by("person_id")
    Presence.objects.create(invitation=person, status="present", marked_by=secretary)
    Presence.objects.create(invitation=unit, status="online", marked_by=secretary)
    summary_save(meeting=meeting, by=secretary, body="Các đơn vị thống nhất với phương án.")
    vote = voting.vote_open(
        meeting=meeting, by=secretary, question="Thông qua phương án điều chuyển", agenda_item=item
    )
    voting.vote_close(vote=vote, by=secretary)
    return meeting


def test_secretary_drafts_and_chair_approves(live_server, demo, new_context) -> None:
    chair_person = Person.objects.get(full_name="Trần Văn Chiến")
    chair_user = User.objects.get(username="phochutich", person=chair_person)  # a demo account
    meeting = _held_meeting(chair_person)
    detail = f"{live_server.url}/cuoc-hop/{meeting.pk}/bien-ban/"

    # ---- the secretary drafts and corrects ------------------------------------------------------
    secretary = new_context(**TABLET).new_page()
    sign_in(secretary, live_server, "thuky")
    secretary.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/")
    secretary.get_by_role("link", name="Biên bản").click()
    secretary.wait_for_url("**/bien-ban/")
    visit(secretary, "minutes-empty-tablet")
    secretary.get_by_role("button", name="Lập biên bản").click()
    secretary.wait_for_url("**/bien-ban/sua/")
    expect(secretary.get_by_label("I. Thời gian, địa điểm, thành phần")).to_contain_text(
        "Có mặt trực tuyến (1)"
    )
    expect(secretary.get_by_label("II. Nội dung cuộc họp")).to_contain_text(
        "Thông qua phương án điều chuyển"
    )
    visit(secretary, "minutes-edit-tablet")
    secretary.get_by_label("III. Kết luận").fill(CONCLUSION)
    secretary.get_by_role("button", name="Lưu phiên bản mới").click()
    secretary.wait_for_url(detail)
    expect(secretary.get_by_text("Phiên bản mới nhất (2)")).to_be_visible()
    expect(secretary.locator(".minutes-text")).to_contain_text(CONCLUSION)
    visit(secretary, "minutes-draft-tablet")

    # ---- the chair approves ---------------------------------------------------------------------
    chair = new_context(**TABLET).new_page()
    sign_in(chair, live_server, "phochutich")
    waiting = chair.locator("#viec-can-lam [data-todo-kind=minutes_approve]")
    expect(waiting).to_contain_text("Bạn phê duyệt với tư cách chủ trì.")
    visit(chair, "minutes-waiting-dashboard-tablet")
    waiting.first.click()
    chair.wait_for_url("**/phe-duyet/")
    expect(chair.get_by_label("Số, ký hiệu")).to_have_value("1/BB-VPUBND")
    chair.get_by_label("Địa danh").fill("Tây Ninh")
    visit(chair, "minutes-approve-tablet")
    chair.get_by_role("button", name="Phê duyệt và công bố").click()
    chair.wait_for_url(detail)
    expect(chair.get_by_text("Biên bản đã phê duyệt, số 1/BB-VPUBND")).to_be_visible()
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_version is not None
    assert minutes.approved_version.number == 2 and minutes.approved_by == chair_user
    visit(chair, "minutes-approved-tablet")
    secretary.reload()
    shot(secretary, "minutes")

    # ---- an invitee reads them on a phone -------------------------------------------------------
    phone = new_context(**PHONE).new_page()
    sign_in(phone, live_server, "thanhvien")
    phone.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/")
    phone.get_by_role("link", name="Biên bản").click()
    phone.wait_for_url(detail)
    expect(phone.locator(".minutes-text")).to_contain_text(CONCLUSION)
    expect(phone.get_by_role("link", name="Tải PDF")).to_be_visible()
    visit(phone, "minutes-published-phone")
