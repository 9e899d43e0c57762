"""The minutes (B7): the draft from the meeting's data, versions, the chair's approval,
publication to the invitees, the Word and PDF files."""

import io

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PersonFactory, UserFactory
from minutes import services
from minutes.models import Minutes, MinutesEvent, MinutesVersion
from notifications.messages import build_message
from notifications.models import Event, Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def _start(held: dict, by: User) -> Minutes:
    return services.minutes_start(meeting=held["meeting"], by=by)


def _form(version: MinutesVersion, **changes: str) -> dict:
    return {**version.text(), "based_on": version.number, **changes}


def _latest(minutes: Minutes) -> MinutesVersion:
    return minutes.versions.order_by("-number").first()  # type: ignore[return-value]


# ---- the draft ----------------------------------------------------------------------------------


def test_draft_holds_what_the_product_knows(held, role_users, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        minutes = _start(held, role_users["secretary"])
    version = _latest(minutes)
    assert version.number == 1 and version.generated
    text = version.attendance
    assert "Chủ trì: Trần Văn Chủ Trì, Phó Chủ tịch UBND tỉnh." in text
    assert "Thư ký: " in text and "Phòng họp số 1" in text
    assert "Có mặt trực tiếp (1):\n- Sở Tài chính" in text
    assert "Có mặt trực tuyến (1):\n- Sở Xây dựng" in text
    assert "Sở Y tế, lý do: Đi công tác Hà Nội" in text
    assert "Sở Giáo dục và Đào tạo: Lê Thị Dự Thay, Phó Giám đốc dự thay" in text
    body = version.proceedings
    assert "1. Báo cáo kế hoạch đầu tư công (trình bày: Sở Tài chính)" in body
    assert "- Phạm Văn Phát Biểu (Sở Tài chính): " in body
    assert "Biểu quyết (biểu quyết công khai): Thông qua kế hoạch đầu tư công" in body
    assert (
        "Đồng ý: 1; Không đồng ý: 0; Không biểu quyết: 0 (1 phiếu / 3 có mặt / 4 được mời)" in body
    )
    assert "Các đơn vị thống nhất với dự thảo kế hoạch." in body
    assert version.subject == "Họp thông qua kế hoạch đầu tư công năm 2027"
    assert "- Lưu: VT, " in version.recipients
    assert MinutesEvent.objects.get(minutes=minutes).kind == MinutesEvent.Kind.DRAFTED


def test_starting_twice_makes_one_minutes(held, role_users):
    first = _start(held, role_users["secretary"])
    second = _start(held, role_users["clerk"])
    assert first.pk == second.pk
    assert MinutesVersion.objects.filter(minutes=first).count() == 1


# ---- pages: start, edit, stale forms ------------------------------------------------------------


def test_start_page(held, client_for):
    meeting = held["meeting"]
    url = reverse("minutes:start", args=[meeting.pk])
    assert client_for("secretary").get(url).status_code == 405
    assert client_for("anonymous").post(url).status_code == 302
    assert client_for("member").post(url).status_code == 403
    assert client_for("unit_leader").post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404
    assert not Minutes.objects.exists()
    client = client_for("secretary")
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("minutes:edit", args=[meeting.pk])
    client.post(url)  # a double click
    assert Minutes.objects.filter(meeting=meeting).count() == 1
    assert MinutesVersion.objects.count() == 1


def test_edit_saves_a_new_version_and_keeps_the_old(held, role_users, client_for):
    minutes = _start(held, role_users["secretary"])
    v1 = _latest(minutes)
    url = reverse("minutes:edit", args=[held["meeting"].pk])
    client = client_for("secretary")
    assert client.get(url).status_code == 200
    text = "Đồng chí Chủ trì kết luận: <script>alert(1)</script> thống nhất thông qua."
    response = client.post(url, _form(v1, conclusions=text))
    assert response.status_code == 302
    v2 = _latest(minutes)
    assert v2.number == 2 and v2.conclusions == text and not v2.generated
    assert MinutesVersion.objects.get(pk=v1.pk).conclusions == ""
    page = client.get(reverse("minutes:detail", args=[held["meeting"].pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    old = client.get(reverse("minutes:version", args=[held["meeting"].pk, 2])).content.decode()
    assert "+ Đồng chí Chủ trì kết luận" in old  # the diff against version 1
    assert client.delete(url).status_code == 405
    assert client_for("member").post(url, _form(v2)).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    assert MinutesVersion.objects.filter(minutes=minutes).count() == 2


def test_a_stale_form_is_refused_and_loses_nothing(held, role_users, client_for):
    minutes = _start(held, role_users["secretary"])
    v1 = _latest(minutes)
    url = reverse("minutes:edit", args=[held["meeting"].pk])
    first, second = client_for("secretary"), client_for("clerk")
    assert first.post(url, _form(v1, conclusions="Tab một")).status_code == 302
    response = second.post(url, _form(v1, conclusions="Tab hai: nội dung dài đã gõ"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "phiên bản 2 sau khi bạn mở trang" in page
    assert "Tab hai: nội dung dài đã gõ" in page  # still in the form
    assert list(minutes.versions.values_list("conclusions", flat=True)) == ["Tab một", ""]


def test_bad_input_gets_a_message(held, role_users, client_for):
    minutes = _start(held, role_users["secretary"])
    v1 = _latest(minutes)
    url = reverse("minutes:edit", args=[held["meeting"].pk])
    client = client_for("secretary")
    response = client.post(url, _form(v1, subject="   "))
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    response = client.post(url, _form(v1, attendance="x" * 200_001))
    assert response.status_code == 200
    response = client.post(url, _form(v1))  # nothing changed
    assert "không thay đổi" in response.content.decode()
    assert minutes.versions.count() == 1


def test_regenerate_asks_first_and_keeps_the_edits(held, role_users, client_for):
    minutes = _start(held, role_users["secretary"])
    client = client_for("secretary")
    client.post(
        reverse("minutes:edit", args=[held["meeting"].pk]),
        _form(_latest(minutes), conclusions="Sửa tay"),
    )
    url = reverse("minutes:regenerate", args=[held["meeting"].pk])
    assert "Lập lại" in client.get(url).content.decode()
    assert client.post(url, {"based_on": 2}).status_code == 200  # not confirmed
    assert minutes.versions.count() == 2
    assert client.post(url, {"based_on": 1, "confirm": "on"}).status_code == 200  # stale
    assert minutes.versions.count() == 2
    assert client.post(url, {"based_on": 2, "confirm": "on"}).status_code == 302
    v3 = _latest(minutes)
    assert v3.number == 3 and v3.generated and v3.conclusions == ""
    assert minutes.versions.get(number=2).conclusions == "Sửa tay"
    assert client_for("member").post(url, {"based_on": 3, "confirm": "on"}).status_code == 403


# ---- approval and publication -------------------------------------------------------------------


def _chair_client(held: dict) -> Client:
    client = Client()
    client.force_login(held["chair"])
    return client


def test_only_the_chair_approves(held, role_users, client_for):
    minutes = _start(held, role_users["secretary"])
    meeting = held["meeting"]
    url = reverse("minutes:approve", args=[meeting.pk])
    data = {"number": "15/BB-VPUBND", "place": "Hà Giang", "version": 1}
    for role in ("secretary", "clerk", "member", "unit_leader"):
        assert client_for(role).post(url, data).status_code == 403, role
    assert client_for("outsider").post(url, data).status_code == 404
    assert client_for("anonymous").post(url, data).status_code == 302
    minutes.refresh_from_db()
    assert minutes.approved_version is None and minutes.status == Minutes.Status.DRAFT
    chair = _chair_client(held)
    page = chair.get(url).content.decode()
    assert "1/BB-" in page  # the suggested number
    assert chair.post(url, data).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_version.number == 1 and minutes.number == "15/BB-VPUBND"
    assert minutes.approved_by == held["chair"]
    event = MinutesEvent.objects.get(minutes=minutes, kind=MinutesEvent.Kind.APPROVED)
    assert event.by == held["chair"] and event.version == 1
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Minutes), object_id=minutes.pk
    )
    assert any("approved_version" in (e.changes_dict or {}) for e in entries)
    # The invitees are told: the inbox and e-mail, not the approver.
    notified = Notification.objects.filter(event__meeting=meeting, event__kind=Event.Kind.MINUTES)
    users = set(notified.values_list("user_id", flat=True))
    assert role_users["unit_leader"].pk in users and role_users["secretary"].pk in users
    assert held["chair"].pk not in users
    assert OutboxMessage.objects.filter(
        event__meeting=meeting, to_email=role_users["unit_leader"].email
    ).exists()
    change = notified.first().event.changes[0]
    assert change["label"] == "Biên bản cuộc họp đã được phê duyệt"
    # The e-mail says what happened, without a calendar invitation to change.
    outbox = OutboxMessage.objects.filter(event__meeting=meeting).first()
    email = build_message(outbox)
    assert email.subject.startswith("Biên bản cuộc họp: ")
    assert "đã được phê duyệt và công bố" in email.body and "15/BB-VPUBND" in email.body
    assert "Thay đổi" not in email.subject + email.body
    assert not email.attachments


def test_published_to_invitees_drafts_not(held, role_users, client_for):
    minutes = _start(held, role_users["secretary"])
    meeting = held["meeting"]
    secretary = client_for("secretary")
    secretary.post(
        reverse("minutes:edit", args=[meeting.pk]),
        _form(_latest(minutes), conclusions="Kết luận bản một"),
    )
    member = client_for("member")
    detail = reverse("minutes:detail", args=[meeting.pk])
    assert "Kết luận bản một" not in member.get(detail).content.decode()
    assert member.get(reverse("minutes:version", args=[meeting.pk, 2])).status_code == 403
    assert (
        member.get(reverse("minutes:version_export", args=[meeting.pk, 2, "pdf"])).status_code
        == 403
    )
    assert member.get(reverse("minutes:export", args=[meeting.pk, "pdf"])).status_code == 404
    assert client_for("outsider").get(detail).status_code == 404

    chair = _chair_client(held)
    approve = reverse("minutes:approve", args=[meeting.pk])
    chair.post(approve, {"number": "7/BB-VPUBND", "place": "Hà Giang", "version": 2})
    assert "Kết luận bản một" in member.get(detail).content.decode()
    response = member.get(reverse("minutes:export", args=[meeting.pk, "docx"]))
    assert response.status_code == 200 and response["Content-Type"].endswith("document")

    # Editing after approval: a new draft waits for the chair; the approved one stays published.
    secretary.post(
        reverse("minutes:edit", args=[meeting.pk]),
        _form(_latest(minutes), conclusions="Kết luận bản hai"),
    )
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT and minutes.approved_version.number == 2
    page = member.get(detail).content.decode()
    assert "Kết luận bản một" in page and "Kết luận bản hai" not in page
    # The chair approving a version the secretary has since replaced is refused.
    response = chair.post(approve, {"number": "7/BB-VPUBND", "version": 2})
    assert "phiên bản 3" in response.content.decode()
    chair.post(approve, {"number": "7/BB-VPUBND", "place": "Hà Giang", "version": 3})
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_version.number == 3
    assert "Kết luận bản hai" in member.get(detail).content.decode()


def test_the_chair_returns_with_a_reason(held, role_users, client_for):
    minutes = _start(held, role_users["secretary"])
    meeting = held["meeting"]
    chair = _chair_client(held)
    url = reverse("minutes:return", args=[meeting.pk])
    assert chair.get(url).status_code == 405
    assert chair.post(url, {"reason": " ", "version": 1}).status_code == 200
    assert client_for("secretary").post(url, {"reason": "Sai", "version": 1}).status_code == 403
    assert chair.post(url, {"reason": "Bổ sung ý kiến Sở Y tế", "version": 1}).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.RETURNED
    page = client_for("secretary").get(reverse("minutes:detail", args=[meeting.pk])).content
    assert "Bổ sung ý kiến Sở Y tế" in page.decode()


def test_without_a_chair_account_the_organiser_units_leader_approves(role_users, office):
    from meetings.tests.factories import make_meeting
    from minutes.rules import approves_minutes

    leader = UserFactory(role=User.Role.UNIT_LEADER, unit=office)
    meeting = make_meeting(by=role_users["clerk"], chair=PersonFactory(unit=office))
    assert approves_minutes(leader, meeting)
    assert not approves_minutes(role_users["unit_leader"], meeting)  # another unit's leader
    chair_account = UserFactory(person=meeting.chair, unit=office)
    assert approves_minutes(chair_account, meeting)
    assert not approves_minutes(leader, meeting)


# ---- files -------------------------------------------------------------------------------------


@pytest.fixture
def approved(held, role_users) -> Minutes:
    minutes = _start(held, role_users["secretary"])
    v2 = services.minutes_save(
        minutes=minutes,
        by=role_users["secretary"],
        text={**_latest(minutes).text(), "conclusions": "Thống nhất thông qua kế hoạch."},
        based_on=1,
    )
    return services.minutes_approve(
        minutes=minutes,
        by=held["chair"],
        version=v2.number,
        number="12/BB-VPUBND",
        place="Hà Giang",
    )


def test_word_file(approved, client_for, role_users):
    import docx

    response = client_for("member").get(
        reverse("minutes:export", args=[approved.meeting_id, "docx"])
    )
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    cells = [p for t in document.tables for c in t._cells for p in c.paragraphs]
    text = "\n".join(p.text for p in [*document.paragraphs, *cells])
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 12/BB-VPUBND",
        "VĂN PHÒNG UBND TỈNH",
        "BIÊN BẢN",
        "Họp thông qua kế hoạch đầu tư công năm 2027",
        "Hà Giang, ngày ",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "Trần Văn Chủ Trì",
        role_users["secretary"].get_full_name(),
        "Nơi nhận:",
        "Thống nhất thông qua kế hoạch.",
        "Lê Thị Dự Thay",
    ):
        assert expected in text, expected
    motto = [r for p in cells for r in p.runs if r.text == "Độc lập - Tự do - Hạnh phúc"]
    assert motto and motto[0].underline and motto[0].bold
    assert "DỰ THẢO" not in text


def test_pdf_file(approved, client_for, role_users):
    from pypdf import PdfReader

    response = client_for("unit_clerk").get(
        reverse("minutes:export", args=[approved.meeting_id, "pdf"])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(
        "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        ).split()
    )
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/BB-VPUBND",
        "BIÊN BẢN",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "Trần Văn Chủ Trì",
        "Sở Y tế, lý do: Đi công tác Hà Nội",
        "Thống nhất thông qua kế hoạch.",
    ):
        assert expected in text, expected
    draft = client_for("secretary").get(
        reverse("minutes:version_export", args=[approved.meeting_id, 1, "pdf"])
    )
    assert "DỰ THẢO" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(draft.content)).pages
    )


def test_detail_queries_do_not_grow(
    approved, role_users, client_for, django_assert_max_num_queries
):
    url = reverse("minutes:detail", args=[approved.meeting_id])
    client = client_for("secretary")
    # A draft waiting after the approval: the page also names who approves it.
    services.minutes_save(
        minutes=approved,
        by=role_users["secretary"],
        text={**_latest(approved).text(), "conclusions": "Sau phê duyệt"},
        based_on=_latest(approved).number,
    )
    with django_assert_max_num_queries(40) as first:
        client.get(url)
    for n in range(5):
        services.minutes_save(
            minutes=approved,
            by=role_users["secretary"],
            text={**_latest(approved).text(), "conclusions": f"Lần {n}"},
            based_on=_latest(approved).number,
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_meeting_page_links_the_minutes_in_each_state(held, role_users, client_for):
    """The meeting page's link (minutes_tags.minutes_link, read by minutes_state without the
    approved version's text): for the drafters from the start, with the draft's status; for the
    invitees once approved, marked approved."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = held["meeting"]
    page_url = reverse("meetings:detail", args=[meeting.pk])
    link = f'href="{reverse("minutes:detail", args=[meeting.pk])}"'

    def page(role: str) -> str:
        return client_for(role).get(page_url).content.decode()

    assert link in page("secretary") and link not in page("member")
    minutes = _start(held, role_users["secretary"])
    drafting = page("secretary")
    assert link in drafting and f">{minutes.get_status_display()}</span>" in drafting
    assert link not in page("member")
    services.minutes_approve(
        minutes=minutes,
        by=held["chair"],
        version=_latest(minutes).number,
        number="13/BB-VPUBND",
        place="Hà Giang",
    )
    for role in ("member", "secretary"):
        shown = page(role)
        assert link in shown and "đã phê duyệt" in shown, role
    with CaptureQueriesContext(connection) as queries:
        page("member")
    read = " ".join(q["sql"] for q in queries if '"minutes_minutes"' in q["sql"])
    assert read and "minutes_minutesversion" not in read and "proceedings" not in read
