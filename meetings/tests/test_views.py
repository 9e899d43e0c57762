"""Meeting pages through the real views: the happy path, wrong method, wrong role, bad input."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingChange, Receipt
from meetings.tests.factories import catalog, make_meeting, pdf_bytes, publish

SCRIPT = "<script>alert('x')</script>"


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def form_data(role_users, department):
    from catalogs.models import Location

    room, _ = Location.objects.get_or_create(unit=role_users["clerk"].unit, name="Phòng họp số 1")
    start = (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    cat = catalog()
    return {
        "title": "Họp triển khai nhiệm vụ năm 2027",
        "agenda": "1. Báo cáo\n2. Thảo luận",
        "start_at": _local(start),
        "end_at": _local(start + timedelta(hours=2)),
        "type": cat["type"].pk,
        "form": cat["form"].pk,
        "location": room.pk,
        "is_public": "on",
        "units": [department.pk],
    }


def test_clerk_creates_a_draft_with_two_documents(client_for, form_data, department) -> None:
    client = client_for("clerk")
    response = client.post(
        reverse("meetings:create"),
        {
            **form_data,
            "files": [
                SimpleUploadedFile("Báo cáo tình hình KT-XH quý III.pdf", pdf_bytes("bao cao")),
                SimpleUploadedFile("Dự thảo kế hoạch.pdf", pdf_bytes("ke hoach")),
            ],
        },
    )
    meeting = Meeting.objects.get(title=form_data["title"])
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.status == Meeting.Status.DRAFT
    assert list(meeting.invitations.values_list("unit_id", flat=True)) == [department.pk]
    names = sorted(d.current.original_name for d in meeting.documents.all())
    assert names == ["Báo cáo tình hình KT-XH quý III.pdf", "Dự thảo kế hoạch.pdf"]


def test_a_double_submit_creates_one_meeting(client_for, form_data) -> None:
    client = client_for("clerk")
    first = client.post(reverse("meetings:create"), form_data)
    second = client.post(reverse("meetings:create"), form_data)
    assert first["Location"] == second["Location"]
    assert Meeting.objects.filter(title=form_data["title"]).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_at": "start"}, "end_at", "Thời gian kết thúc phải sau thời gian bắt đầu."),
        ({"start_at": "past"}, "start_at", "Thời gian bắt đầu đã qua."),
        ({"title": ""}, "title", "bắt buộc"),
        ({"start_at": "31/02/2027 08:00"}, "start_at", ""),
    ],
)
def test_bad_meeting_input_is_refused_and_nothing_stored(
    client_for, form_data, change, field, message
) -> None:
    data = dict(form_data)
    for key, value in change.items():
        if value == "start":
            data[key] = data["start_at"]
        elif value == "past":
            data[key] = _local(timezone.now() - timedelta(days=1))
        else:
            data[key] = value
    response = client_for("clerk").post(reverse("meetings:create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not Meeting.objects.exists()


def test_script_tags_are_shown_as_text_everywhere(client_for, form_data, role_users) -> None:
    client = client_for("clerk")
    data = {**form_data, "title": f"Họp {SCRIPT}", "agenda": SCRIPT}
    client.post(reverse("meetings:create"), data)
    meeting = Meeting.objects.get()
    publish(meeting, role_users["clerk"])
    for url in [
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:list"),
        reverse("portal:dashboard"),
        reverse("meetings:print_invitation", args=[meeting.pk]),
        reverse("meetings:public_detail", args=[meeting.pk]),
        reverse("meetings:schedule") + "?period=all",
    ]:
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert "&lt;script&gt;" in page, url


def test_a_stale_edit_form_is_refused_and_says_so(client_for, form_data, role_users) -> None:
    clerk = role_users["clerk"]
    meeting = make_meeting(by=clerk)
    url = reverse("meetings:edit", args=[meeting.pk])
    data = {**form_data, "revision": meeting.revision}
    first = client_for("clerk").post(url, {**data, "title": "Bản của văn thư A"})
    assert first.status_code == 302
    # The same account in a second browser, on the form opened before the first save.
    second = client_for("clerk").post(url, {**data, "title": "Bản của văn thư B"})
    assert second.status_code == 409
    assert "CHƯA được lưu" in second.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).title == "Bản của văn thư A"


def test_publish_page_asks_for_the_late_reason(client_for, role_users, department) -> None:
    meeting = make_meeting(by=role_users["clerk"], units=[department], days_ahead=1)
    url = reverse("meetings:publish", args=[meeting.pk])
    client = client_for("clerk")
    page = client.get(url)
    assert "late_reason" in page.content.decode()
    refused = client.post(url, {"late_reason": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors["late_reason"]
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.DRAFT
    client.post(url, {"late_reason": "Theo chỉ đạo khẩn của Chủ tịch"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    detail = client_for("member").get(reverse("meetings:detail", args=[meeting.pk]))
    assert "Theo chỉ đạo khẩn của Chủ tịch" in detail.content.decode()


def test_publish_refuses_get_only_methods(client_for, meetings) -> None:
    url = reverse("meetings:publish", args=[meetings["draft"].pk])
    assert client_for("clerk").put(url).status_code == 405
    assert client_for("clerk").delete(url).status_code == 405


def test_an_invited_unit_sees_new_then_read(client_for, meetings) -> None:
    client = client_for("unit_clerk")
    meeting = meetings["published"]
    board = client.get(reverse("portal:dashboard"))
    assert [m.pk for m in board.context["board"].new] == [meeting.pk]
    assert "Mới" in board.content.decode()
    client.get(reverse("meetings:detail", args=[meeting.pk]))
    client.get(reverse("meetings:detail", args=[meeting.pk]))
    receipt = Receipt.objects.get(meeting=meeting)
    assert receipt.view_count == 2 and receipt.first_viewed_at <= receipt.last_viewed_at
    assert client.get(reverse("portal:dashboard")).context["board"].new == []
    # A later view is one write: the last view and the count; the first view stays.
    first = receipt.first_viewed_at
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("meetings:detail", args=[meeting.pk]))
    writes = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "meetings_receipt"')]
    assert len(writes) == 1
    receipt.refresh_from_db()
    assert receipt.view_count == 3 and receipt.first_viewed_at == first
    # A receipt begun by a reply, not a view: the next view is its first.
    Receipt.objects.filter(pk=receipt.pk).update(first_viewed_at=None)
    client.get(reverse("meetings:detail", args=[meeting.pk]))
    receipt.refresh_from_db()
    assert receipt.view_count == 4 and receipt.first_viewed_at == receipt.last_viewed_at


def test_the_organisers_visits_are_not_receipts(client_for, meetings) -> None:
    client_for("clerk").get(reverse("meetings:detail", args=[meetings["published"].pk]))
    assert not Receipt.objects.exists()


def test_invitees_see_the_history_but_not_the_drafting(client_for, meetings, role_users) -> None:
    meeting = meetings["published"]
    page = client_for("member").get(reverse("meetings:detail", args=[meeting.pk]))
    kinds = {c.kind for c in page.context["changes"]}
    assert MeetingChange.Kind.PUBLISHED in kinds
    assert MeetingChange.Kind.CREATED not in kinds
    assert MeetingChange.Kind.DOCUMENT_REPLACED in kinds


def test_receipt_page_shows_views_and_downloads(client_for, meetings) -> None:
    meeting, document = meetings["published"], meetings["document"]
    member = client_for("member")
    member.get(reverse("meetings:detail", args=[meeting.pk]))
    b"".join(member.get(reverse("documents:download", args=[document.pk])).streaming_content)
    page = client_for("clerk").get(reverse("meetings:receipts", args=[meeting.pk]))
    ((row, cells),) = page.context["table"]
    assert row.viewed_at is not None and "member1" in row.viewers
    assert cells == [row.downloads[document.pk]]
    assert "Chưa xem" not in page.content.decode()


def test_cancel_and_postpone_through_the_pages(client_for, meetings) -> None:
    meeting = meetings["published"]
    client = client_for("clerk")
    refused = client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    client.post(reverse("meetings:postpone", args=[meeting.pk]), {"reason": "Trùng lịch"})
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.POSTPONED
    client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Không tổ chức nữa"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    # A cancelled meeting is a closed record: no more edits.
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 403


def test_delete_within_retention_says_when(client_for, meetings) -> None:
    meeting = meetings["published"]
    response = client_for("clerk").post(
        reverse("meetings:delete", args=[meeting.pk]), {"reason": "Trùng"}
    )
    assert response.status_code == 200
    assert "Có thể xoá từ ngày" in response.content.decode()
    assert Meeting.objects.alive().filter(pk=meeting.pk).exists()


def test_public_pages_show_no_documents(client, meetings) -> None:
    meeting = meetings["published"]
    page = client.get(reverse("meetings:public_detail", args=[meeting.pk])).content.decode()
    assert meeting.title in page
    assert "Kế hoạch" not in page and ".pdf" not in page
    assert "/tai-lieu/" not in page and meeting.agenda not in page
    listing = client.get(reverse("meetings:schedule") + "?period=all").content.decode()
    assert meeting.title in listing and meetings["draft"].title not in listing


def test_a_meeting_marked_not_public_never_shows_to_anonymous(client, meetings) -> None:
    meeting = meetings["published"]
    Meeting.objects.filter(pk=meeting.pk).update(is_public=False)
    assert client.get(reverse("meetings:public_detail", args=[meeting.pk])).status_code == 404
    for period in ["today", "week", "upcoming", "all"]:
        page = client.get(reverse("meetings:schedule"), {"period": period}).content.decode()
        assert meeting.title not in page


def test_public_schedule_search(client, meetings, role_users, department) -> None:
    other = make_meeting(by=role_users["clerk"], title="Hội nghị chuyển đổi số", units=[department])
    publish(other, role_users["clerk"])
    page = client.get(reverse("meetings:schedule"), {"period": "all", "q": "chuyển đổi"})
    titles = [m.title for m in page.context["page"].object_list]
    assert titles == ["Hội nghị chuyển đổi số"]


def test_print_pages_render_for_a4(client_for, meetings) -> None:
    meeting = meetings["published"]
    page = client_for("member").get(reverse("meetings:print_invitation", args=[meeting.pk]))
    html = page.content.decode()
    assert "GIẤY MỜI" in html and "css/print.css" in html and meeting.title in html
    listing = client_for("member").get(reverse("meetings:print_documents", args=[meeting.pk]))
    assert "Kế hoạch v2.pdf" in listing.content.decode()


def test_invitee_notes_are_history_for_the_invitee(client_for, meetings, department) -> None:
    meeting = meetings["published"]
    invitation = meeting.invitations.get()
    url = reverse("meetings:invitees", args=[meeting.pk])
    response = client_for("clerk").post(url, {f"note-{invitation.pk}": f"Mời Giám đốc {SCRIPT}"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.note == f"Mời Giám đốc {SCRIPT}"
    change = meeting.changes.get(kind=MeetingChange.Kind.INVITEE_CHANGED)
    assert change.invitation_unit_id == department.pk and change.visible_to_invitees
    page = client_for("member").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Mời Giám đốc &lt;script&gt;" in page and SCRIPT not in page


def test_script_tags_in_reasons_and_document_fields_stay_text(client_for, meetings) -> None:
    meeting, document = meetings["published"], meetings["document"]
    clerk = client_for("clerk")
    clerk.post(
        reverse("documents:edit", args=[document.pk]),
        {"title": f"Tờ trình {SCRIPT}", "number": SCRIPT, "issuer": SCRIPT, "order": 1},
    )
    clerk.post(reverse("meetings:postpone", args=[meeting.pk]), {"reason": f"Hoãn {SCRIPT}"})
    for client, url in [
        (clerk, reverse("documents:detail", args=[document.pk])),
        (client_for("member"), reverse("meetings:detail", args=[meeting.pk])),
        (client_for("member"), reverse("meetings:print_documents", args=[meeting.pk])),
        (clerk, reverse("meetings:receipts", args=[meeting.pk])),
    ]:
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert "&lt;script&gt;" in page, url
