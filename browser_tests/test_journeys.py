"""One journey per role through the real pages, on the device that role holds, with text at the
forms' maximum lengths. Every page visited is photographed, keeps its Content-Security-Policy,
passes axe-core and is no wider than the device (browser_tests.steps.step).

- the office's clerk (1280x800): a meeting with three agenda items and their documents,
  published, then who received what;
- a unit (Sở Tài chính's account, 1024x768 tablet): dashboard, meeting, two attendees named, a
  document read with a personal note, a comment, a task from a conclusion notice reported;
- members on phones (390x844): check in at the door, cast a ballot, ask to speak;
- the secretary (tablet): the roll, a vote opened and closed, the floor given, the minutes drafted;
- the chair (tablet): the minutes approved and signed;
- the room's screen (1920x1080, 1366x768, 1280x720): a speaker and a vote, fitting the screen."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attendance import check_in
from attendance.models import Attendee, Presence
from attendance.services import presence_mark
from browser_tests.conftest import DESKTOP, PHONE, TABLET, path_of, sign_in
from browser_tests.steps import (
    ITEMS,
    SCREENS,
    account,
    ask_to_speak,
    cast_ballot,
    chair_account,
    fits_screen,
    meeting_under_way,
    open_vote,
    set_agenda,
    step,
    text_of_length,
)
from comments.models import Comment
from documents.models import Document
from meetings.models import Meeting
from meetings.tests.factories import make_document, make_meeting, pdf_bytes, publish
from minutes import services as minutes_services
from minutes.models import Minutes
from notes.models import Note
from room import services as room
from room.models import Speech
from signatures.models import SignedPdf, SigningKey
from signatures.tests.conftest import PASSPHRASE, key_dir, pki  # noqa: F401 (fixtures)
from tasks import services as tasks
from tasks.models import Task
from voting import services as voting
from voting.models import Vote

pytestmark = pytest.mark.browser

MEETING_TITLE = text_of_length(500, "Họp Ủy ban nhân dân tỉnh về ")
ITEM_TITLES = [
    text_of_length(2000, "Báo cáo tình hình giải ngân vốn đầu tư công: "),
    "Phương án điều chuyển vốn giữa các dự án chậm giải ngân",
    "Kết luận của chủ trì cuộc họp",
]
PRESENTER = text_of_length(255, "Sở Tài chính, Sở Kế hoạch và Đầu tư, ")


# ---- the office's clerk -------------------------------------------------------------------------
def test_clerk_creates_publishes_and_tracks(live_server, demo, new_context) -> None:
    start = (timezone.localtime() + timedelta(days=2)).replace(hour=8, minute=0)
    clerk = new_context(**DESKTOP).new_page()
    sign_in(clerk, live_server, "vanthu")
    step(clerk, "journey-clerk-1-dashboard")
    clerk.get_by_role("link", name="Tạo cuộc họp").first.click()
    clerk.wait_for_url("**/cuoc-hop/tao-moi/")
    clerk.get_by_label("Tên cuộc họp").fill(MEETING_TITLE)
    rows = clerk.locator("[data-agenda-row]")
    for index, title in enumerate(ITEM_TITLES):
        rows.nth(index).get_by_label("Nội dung", exact=True).fill(title)
    rows.nth(0).get_by_label("Người trình bày").fill(PRESENTER)
    rows.nth(0).get_by_label("Số phút").fill("45")
    clerk.get_by_label("Bắt đầu").fill(start.strftime("%d/%m/%Y %H:%M"))
    clerk.get_by_label("Kết thúc").fill((start + timedelta(hours=3)).strftime("%d/%m/%Y %H:%M"))
    clerk.get_by_label("Loại cuộc họp").select_option(label="Họp thường kỳ")
    clerk.get_by_label("Hình thức").select_option(label="Họp trực tiếp")
    clerk.get_by_label("Phòng họp").select_option(index=1)
    search = clerk.get_by_label("Tìm đơn vị, ban chỉ đạo, cá nhân")
    for typed, name in [("tai chinh", "Sở Tài chính"), ("ke hoach", "Sở Kế hoạch và Đầu tư")]:
        search.fill(typed)
        clerk.get_by_label(name, exact=True).check()
    search.fill("")
    clerk.get_by_label("Tài liệu họp").set_input_files(
        [{"name": "Giấy mời.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Giay moi")}]
    )
    step(clerk, "journey-clerk-2-create-form")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Lưu dự thảo").click()
    meeting = Meeting.objects.get(title=MEETING_TITLE)
    assert path_of(clerk) == f"/cuoc-hop/{meeting.pk}/"
    items = list(meeting.agenda_items.order_by("position"))
    assert [item.title for item in items] == ITEM_TITLES
    step(clerk, "journey-clerk-3-draft")

    # Documents per agenda item, each through "Thêm tài liệu" with its item chosen.
    for number, item in enumerate(items, start=1):
        clerk.get_by_role("link", name="Thêm tài liệu", exact=True).click()
        clerk.wait_for_url("**/tai-lieu/them/")
        clerk.get_by_label("Tệp tài liệu").set_input_files(
            [
                {
                    "name": f"Tờ trình nội dung {number}.pdf",
                    "mimeType": "application/pdf",
                    "buffer": pdf_bytes(f"To trinh {number}"),
                },
                {
                    "name": f"Phụ lục số liệu nội dung {number}.pdf",
                    "mimeType": "application/pdf",
                    "buffer": pdf_bytes(f"Phu luc {number}"),
                },
            ]
        )
        clerk.get_by_label("Thuộc nội dung họp").select_option(value=str(item.pk))
        if number == 1:
            step(clerk, "journey-clerk-4-add-documents")
        with clerk.expect_navigation():
            clerk.get_by_role("button", name="Tải lên").click()
        expect(clerk.get_by_text("Đã tải lên 2 tài liệu.")).to_be_visible()
    for item in items:
        assert Document.objects.filter(meeting=meeting, agenda_item=item).count() == 2
    expect(clerk.locator(".agenda-item").nth(2).get_by_role("link", name="Đọc")).to_have_count(2)
    step(clerk, "journey-clerk-5-draft-with-documents")

    clerk.get_by_role("link", name="Phát hành").click()
    clerk.wait_for_url("**/phat-hanh/")
    late_reason = clerk.get_by_label("Lý do phát hành muộn")
    if late_reason.count():  # the meeting's type asks for 3 days' notice; it is in 2
        late_reason.fill(text_of_length(2000, "Lịch công tác của lãnh đạo tỉnh thay đổi. "))
    step(clerk, "journey-clerk-6-publish")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Phát hành").click()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    expect(clerk.locator(".messages")).to_contain_text("Đã phát hành")
    step(clerk, "journey-clerk-7-published")

    clerk.get_by_role("link", name="Theo dõi nhận tài liệu").click()
    clerk.wait_for_url("**/theo-doi-nhan/")
    expect(clerk.locator("table.receipts tbody tr")).to_have_count(2)
    step(clerk, "journey-clerk-8-receipts")


# ---- a unit, on a tablet ------------------------------------------------------------------------
UNIT_MEETING = text_of_length(500, "Họp giao ban công tác tài chính - ngân sách: ")
TASK_TITLE = text_of_length(500, "Tham mưu văn bản điều chuyển vốn đầu tư công: ")
# The viewer announces each page it draws; the test marks page 1 to pin a note on it.
PAGES_WATCH = """
document.addEventListener("viewer:pagerendered", e => {
  e.detail.pageElement.setAttribute("data-test-page", String(e.detail.pageNumber));
});
"""


def _unit_meeting() -> tuple[Meeting, Document, Task]:
    """Published for Sở Tài chính, three days ahead, with a document on its first item; and an
    issued conclusion notice of it giving the unit a task."""
    clerk = account("vanthu")
    stc = account("stc").unit
    meeting = publish(make_meeting(by=clerk, title=UNIT_MEETING, days_ahead=3, units=[stc]), clerk)
    set_agenda(meeting)
    document = make_document(
        meeting,
        clerk,
        "Báo cáo giải ngân 9 tháng.pdf",
        pdf_bytes("Bao cao tinh hinh giai ngan von dau tu cong 9 thang nam 2025"),
    )
    Document.objects.filter(pk=document.pk).update(agenda_item=meeting.agenda_items.get(position=1))
    notice = tasks.notice_create(
        meeting=meeting,
        by=clerk,
        data={
            "number": "215/TB-VP",
            "place": "Tây Ninh",
            "concluded_by": "Phó Chủ tịch UBND tỉnh",
            "body": "Thống nhất điều chuyển 120 tỷ đồng vốn đầu tư công.",
            "signer_name": "Nguyễn Văn Bình",
            "signer_title": "Chánh Văn phòng",
        },
        tasks=[
            tasks.TaskData(
                title=TASK_TITLE, unit=stc, deadline=timezone.localdate() + timedelta(days=5)
            )
        ],
    )
    tasks.notice_issue(notice=notice, by=clerk)
    return meeting, document, notice.tasks.get()


def test_unit_names_attendees_reads_comments_and_reports(live_server, demo, new_context) -> None:
    meeting, document, task = _unit_meeting()
    context = new_context(**TABLET)
    context.add_init_script(PAGES_WATCH)
    unit = context.new_page()
    sign_in(unit, live_server, "stc")
    expect(unit.get_by_role("heading", name="Nhiệm vụ của đơn vị")).to_be_visible()
    step(unit, "journey-unit-1-dashboard")

    unit.get_by_role("link", name=UNIT_MEETING).first.click()
    unit.wait_for_url(f"**/cuoc-hop/{meeting.pk}/")
    step(unit, "journey-unit-2-meeting")

    unit.get_by_role("link", name="Cử người dự họp").click()
    unit.wait_for_url("**/cu-nguoi-du/")
    people = [
        ("Trần Văn Minh", text_of_length(150, "Giám đốc Sở Tài chính, ")),
        ("Lê Thị Hoa", text_of_length(150, "Trưởng phòng Quản lý ngân sách, ")),
    ]
    for n, (name, position) in enumerate(people, start=1):
        unit.get_by_label(f"Họ và tên {n}", exact=True).fill(name)
        unit.get_by_label(f"Chức vụ {n}", exact=True).fill(position)
    step(unit, "journey-unit-3-attendees")
    with unit.expect_navigation():
        unit.get_by_role("button", name="Gửi").click()
    named = Attendee.objects.filter(reply__invitation__meeting=meeting)
    assert sorted(named.values_list("full_name", "position")) == sorted(people)

    # Reads the item's document in the viewer and pins a personal note on page 1.
    unit.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/")
    unit.get_by_role("link", name=f"Đọc {document.title}").first.click()
    unit.wait_for_url(f"**/tai-lieu/{document.pk}/doc/")
    page_one = unit.locator('[data-test-page="1"]')
    expect(page_one).to_be_attached(timeout=20_000)
    panel = unit.locator("#notes-panel")
    if not panel.is_visible():
        unit.get_by_role("button", name="Ghi chú", exact=True).click()
    expect(panel).to_be_visible()
    unit.get_by_role("button", name="Ghim ghi chú").click()
    page_one.scroll_into_view_if_needed()
    box = page_one.bounding_box()
    assert box is not None
    unit.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + min(box["height"], 500) * 0.3)
    note = text_of_length(4000, "Hỏi lại Sở Kế hoạch và Đầu tư về số liệu: ")
    unit.get_by_label("Nội dung ghi chú").fill(note)
    unit.get_by_role("button", name="Lưu ghi chú").click()
    expect(unit.locator("#notes-mine .notes-item")).to_have_count(1)
    assert Note.objects.get(document=document).text == note
    step(unit, "journey-unit-4-viewer-note")

    unit.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/")
    unit.get_by_role("link", name="Ý kiến góp ý").click()
    unit.wait_for_url("**/y-kien/")
    comment = text_of_length(10_000, "Sở Tài chính đề nghị bổ sung số liệu: ")
    unit.get_by_label("Ý kiến góp ý").fill(comment)
    with unit.expect_navigation():
        unit.get_by_role("button", name="Gửi ý kiến").click()
    assert Comment.objects.get(meeting=meeting).body == comment
    step(unit, "journey-unit-5-comments")

    # The task from the issued conclusion notice, from the dashboard.
    toggler = unit.get_by_role("button", name="Mở menu")
    if toggler.is_visible():  # the menu folds below 992 px; a 1024 px tablet has it on one line
        toggler.click()
    unit.get_by_role("link", name="Trang của tôi").click()
    unit.wait_for_url("**/bang-dieu-khien/")
    # The dashboard shortens a long task's title.
    unit.get_by_role("link", name=TASK_TITLE[:60]).first.click()
    unit.wait_for_url(re.compile(rf"/nhiem-vu/{task.pk}/"))  # the to-do row may add an anchor
    unit.get_by_label("Nội dung báo cáo").fill(
        text_of_length(5000, "Đã trình UBND tỉnh dự thảo văn bản điều chuyển vốn: ")
    )
    unit.get_by_label("Đã hoàn thành nhiệm vụ (đề nghị xác nhận)").check()
    step(unit, "journey-unit-6-task-form")
    with unit.expect_navigation():
        unit.get_by_role("button", name="Gửi báo cáo").click()
    expect(unit.get_by_text("Đã báo cáo hoàn thành; chờ văn phòng xác nhận.").first).to_be_visible()
    task.refresh_from_db()
    assert task.status == Task.Status.REPORTED
    step(unit, "journey-unit-7-task-reported")


# ---- members, on phones -------------------------------------------------------------------------
def test_members_check_in_vote_and_ask_to_speak(live_server, demo, new_context) -> None:
    meeting = meeting_under_way(text_of_length(500, "Họp điều hành giải ngân vốn đầu tư công: "))
    vote = voting.vote_open(
        meeting=meeting,
        by=account("thuky"),
        question=text_of_length(2000, "Thống nhất phương án điều chuyển 120 tỷ đồng: "),
        agenda_item=meeting.agenda_items.get(position=2),
    )
    door = f"{live_server.url}/cuoc-hop/{meeting.pk}/quet-diem-danh/{check_in.make_token(meeting)}/"
    for username, full_name in [("lanhdao.stc", "Trần Văn Minh"), ("thanhvien", "Lê Hoàng Phúc")]:
        name = f"journey-member-{username.replace('.', '-')}"
        member = new_context(**PHONE).new_page()
        sign_in(member, live_server, username)
        member.goto(door)  # the QR code at the door, scanned with the phone's camera
        step(member, f"{name}-1-check-in")
        with member.expect_navigation():
            member.get_by_role("button", name="Xác nhận có mặt").click()
        expect(member.get_by_text("Đã điểm danh").first).to_be_visible()
        step(member, f"{name}-2-checked-in")
        invitation = meeting.invitations.get(person__full_name=full_name)
        assert Presence.objects.get(invitation=invitation).status == Presence.Status.PRESENT
        cast_ballot(member, meeting, "Đồng ý", f"{name}-3-vote")
    vote.refresh_from_db()
    assert voting.present_count(meeting) == 2
    assert vote.participations.count() == 2

    ask_to_speak(member, meeting, "journey-member-thanhvien-4-speak")
    assert Speech.objects.get(meeting=meeting).speaker_name == "Lê Hoàng Phúc"


# ---- the secretary, on a tablet -----------------------------------------------------------------
def test_secretary_runs_the_room_and_drafts_minutes(live_server, demo, new_context) -> None:
    meeting = meeting_under_way(text_of_length(500, "Họp điều hành giải ngân vốn đầu tư công: "))
    minh = meeting.invitations.get(person__full_name="Trần Văn Minh")
    phuc = meeting.invitations.get(person__full_name="Lê Hoàng Phúc")
    skhdt = meeting.invitations.get(unit__code="SKHDT")
    base = f"{live_server.url}/cuoc-hop/{meeting.pk}/"
    secretary = new_context(**TABLET).new_page()
    sign_in(secretary, live_server, "thuky")
    secretary.goto(base)
    step(secretary, "journey-secretary-1-meeting")

    # The roll, row by row.
    secretary.get_by_role("link", name="Điểm danh", exact=True).click()
    secretary.wait_for_url("**/diem-danh/")
    for invitation, status in [(minh, "Có mặt"), (phuc, "Có mặt"), (skhdt, "Có mặt trực tuyến")]:
        row = secretary.locator(f"#roll-{invitation.pk}")
        row.get_by_text(status, exact=True).click()
        expect(secretary.locator(f"#roll-{invitation.pk}")).to_contain_text("Đã lưu")
    step(secretary, "journey-secretary-2-roll")
    marks = dict(
        Presence.objects.filter(invitation__meeting=meeting).values_list("invitation_id", "status")
    )
    assert marks == {minh.pk: "present", phuc.pk: "present", skhdt.pk: "online"}

    # The control page: the first item under discussion.
    secretary.goto(base)
    secretary.get_by_role("link", name="Điều hành phiên họp").click()
    secretary.wait_for_url("**/dieu-hanh/")
    secretary.get_by_role("button", name="Chuyển sang nội dung này").first.click()
    expect(secretary.get_by_text("Đang thảo luận")).to_be_visible()
    step(secretary, "journey-secretary-3-control")

    # A vote, opened from the meeting page; a member votes from the phone; closed.
    question = text_of_length(2000, "Thống nhất phương án điều chuyển 120 tỷ đồng: ")
    secretary.goto(base)
    open_vote(secretary, meeting, question, "journey-secretary-4-vote-form")
    vote = Vote.objects.get(meeting=meeting)
    assert vote.question == question
    voting.vote_cast(
        vote=vote,
        invitation=minh,
        by=account("lanhdao.stc"),
        option_ids=[vote.options.get(label="Đồng ý").pk],
    )
    secretary.reload()
    expect(secretary.locator("#vote-live")).to_contain_text("1 phiếu")
    step(secretary, "journey-secretary-5-vote-live")
    secretary.once("dialog", lambda dialog: dialog.accept())
    with secretary.expect_navigation():
        secretary.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(secretary.get_by_text("Đã kết thúc biểu quyết")).to_be_visible()
    vote.refresh_from_db()
    assert vote.status == Vote.Status.CLOSED and vote.final_ballots == 1
    step(secretary, "journey-secretary-6-vote-result")

    # A member's request to speak; the floor given.
    room.floor_request(
        meeting=meeting,
        item=meeting.agenda_items.get(position=1),
        by=account("lanhdao.stc"),
        invitation=minh,
        name="Trần Văn Minh",
        speaks_for="Sở Tài chính",
    )
    secretary.goto(base + "dieu-hanh/")
    secretary.get_by_role("button", name="Mời phát biểu").click()
    expect(secretary.locator("#room-panel [data-room-timer]")).to_be_visible()
    assert Speech.objects.get(meeting=meeting).status == Speech.Status.SPEAKING
    step(secretary, "journey-secretary-7-floor")

    # The minutes, drafted from the meeting's data and completed.
    secretary.goto(base)
    secretary.get_by_role("link", name="Biên bản").click()
    secretary.wait_for_url("**/bien-ban/")
    secretary.get_by_role("button", name="Lập biên bản").click()
    secretary.wait_for_url("**/bien-ban/sua/")
    expect(secretary.get_by_label("II. Nội dung cuộc họp")).to_contain_text(question[:60])
    conclusions = text_of_length(20_000, "Kết luận của chủ trì: thống nhất điều chuyển vốn; ")
    secretary.get_by_label("III. Kết luận").fill(conclusions)
    step(secretary, "journey-secretary-8-minutes-edit")
    secretary.get_by_role("button", name="Lưu phiên bản mới").click()
    secretary.wait_for_url("**/bien-ban/")
    expect(secretary.get_by_text("Phiên bản mới nhất (2)")).to_be_visible()
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.versions.get(number=2).conclusions == conclusions
    step(secretary, "journey-secretary-9-minutes-draft")


# ---- the chair, on a tablet ---------------------------------------------------------------------
def test_chair_approves_and_signs_the_minutes(
    live_server,
    demo,
    new_context,
    key_dir: Path,  # noqa: F811
) -> None:
    chair_user = chair_account()
    assert chair_user.person is not None
    meeting = meeting_under_way(
        text_of_length(500, "Họp điều hành giải ngân vốn đầu tư công: "), chair=chair_user.person
    )
    minutes_services.minutes_start(meeting=meeting, by=account("thuky"))
    SigningKey.objects.create(
        label="Khoá ký số của Phó Chủ tịch",
        kind=SigningKey.Kind.PKCS12,
        holder=chair_user,
        file_name="nguyen-van-ky.p12",  # written by the key_dir fixture
    )
    chair = new_context(**TABLET).new_page()
    sign_in(chair, live_server, chair_user.username)
    chair.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/")
    step(chair, "journey-chair-1-meeting")
    chair.get_by_role("link", name="Biên bản").click()
    chair.wait_for_url("**/bien-ban/")
    step(chair, "journey-chair-2-minutes")
    chair.get_by_role("link", name="Phê duyệt hoặc trả lại").click()
    chair.wait_for_url("**/phe-duyet/")
    chair.get_by_label("Địa danh").fill("Tây Ninh")
    step(chair, "journey-chair-3-approve")
    with chair.expect_navigation():
        chair.get_by_role("button", name="Phê duyệt và công bố").click()
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_by == chair_user
    expect(chair.get_by_text(f"Biên bản đã phê duyệt, số {minutes.number}")).to_be_visible()
    step(chair, "journey-chair-4-approved")

    chair.get_by_role("link", name="Ký số", exact=True).click()
    chair.wait_for_url("**/ky-so/**")
    chair.get_by_label("Mật khẩu tệp khoá hoặc mã PIN thiết bị").fill(PASSPHRASE)
    step(chair, "journey-chair-5-sign")
    with chair.expect_navigation():
        chair.get_by_role("button", name="Ký số").click()
    expect(chair.get_by_text("Đã ký số").first).to_be_visible()
    assert SignedPdf.objects.get().signer == chair_user
    step(chair, "journey-chair-6-signed")


# ---- the room's screen --------------------------------------------------------------------------
def test_room_screen_fits_during_a_speech_and_a_vote(live_server, demo, new_context) -> None:
    meeting = meeting_under_way(text_of_length(500, "Họp điều hành giải ngân vốn đầu tư công: "))
    secretary = account("thuky")
    minh = meeting.invitations.get(person__full_name="Trần Văn Minh")
    for invitation in meeting.invitations.all():
        presence_mark(invitation=invitation, by=secretary, status=Presence.Status.PRESENT)
    first = meeting.agenda_items.get(position=1)
    room.item_start(meeting=meeting, item=first, by=secretary)
    speech = room.floor_request(
        meeting=meeting,
        item=first,
        by=account("lanhdao.stc"),
        invitation=minh,
        name="Trần Văn Minh",
        speaks_for="Giám đốc Sở Tài chính",
    )
    room.floor_give(speech=speech, by=secretary)
    question = "Thống nhất phương án điều chuyển 120 tỷ đồng giữa các dự án chậm giải ngân"
    vote = voting.vote_open(meeting=meeting, by=secretary, question=question, agenda_item=first)
    voting.vote_cast(
        vote=vote,
        invitation=minh,
        by=account("lanhdao.stc"),
        option_ids=[vote.options.get(label="Đồng ý").pk],
    )
    for size in SCREENS:
        name = f"journey-screen-{size['width']}x{size['height']}"
        screen = new_context(viewport=size).new_page()
        sign_in(screen, live_server, "thuky")
        screen.goto(f"{live_server.url}/cuoc-hop/{meeting.pk}/man-hinh/")
        expect(screen.locator(".screen-item-title")).to_contain_text(ITEMS[0][0])
        expect(screen.locator(".screen-speaker-name")).to_contain_text("Trần Văn Minh")
        expect(screen.locator(".vs-q")).to_have_text(question)
        expect(screen.locator(".vs-sub")).to_contain_text("1 phiếu · 3 có mặt")
        step(screen, name)
        fits_screen(screen, name)
