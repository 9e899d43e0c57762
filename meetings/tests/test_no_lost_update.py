"""Publishing, postponing, cancelling and deleting decide on the meeting as it is saved, lock its
row, save only what they change, and refuse to act on a meeting changed since the page was opened
(the revision it showed). A cancelled meeting's documents are frozen with it."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from documents.models import Document
from documents.services import document_delete, document_replace, document_update
from meetings import services
from meetings.models import Meeting, MeetingChange
from meetings.tests.factories import make_document, make_meeting, pdf_bytes, publish


def _edit(meeting: Meeting, by, **changes) -> Meeting:
    fresh = Meeting.objects.get(pk=meeting.pk)
    data = {"title": fresh.title, **changes}
    return services.meeting_update(
        meeting=fresh,
        by=by,
        data=data,
        revision=fresh.revision,
        invitees=services.Invitees(units=[i.unit for i in fresh.invitations.all() if i.unit]),
    )


# ---- a copy loaded before an edit does not overwrite it ----------------------------------------


@pytest.mark.django_db
def test_a_cancel_from_an_old_copy_keeps_the_edit_saved_meanwhile(role_users, meetings) -> None:
    clerk = role_users["clerk"]
    old_copy = Meeting.objects.get(pk=meetings["published"].pk)
    _edit(meetings["published"], clerk, title="Họp bàn kế hoạch năm (đã đổi phòng)")

    services.meeting_cancel(meeting=old_copy, by=clerk, reason="Lãnh đạo đi công tác")

    saved = Meeting.objects.get(pk=old_copy.pk)
    assert saved.title == "Họp bàn kế hoạch năm (đã đổi phòng)"
    assert saved.status == Meeting.Status.CANCELLED
    assert saved.revision == old_copy.revision  # the caller's copy shows what was saved
    assert old_copy.title == saved.title


@pytest.mark.django_db
def test_a_postpone_from_an_old_copy_keeps_the_edit_saved_meanwhile(role_users, meetings) -> None:
    clerk = role_users["clerk"]
    old_copy = Meeting.objects.get(pk=meetings["published"].pk)
    _edit(meetings["published"], clerk, agenda="Nội dung mới, đã bổ sung báo cáo")

    services.meeting_postpone(
        meeting=old_copy, by=clerk, reason="Chờ số liệu", start_at=None, end_at=None
    )

    saved = Meeting.objects.get(pk=old_copy.pk)
    assert saved.agenda == "Nội dung mới, đã bổ sung báo cáo"
    assert saved.status == Meeting.Status.POSTPONED


@pytest.mark.django_db
def test_a_publish_from_an_old_copy_keeps_the_edit_saved_meanwhile(role_users, meetings) -> None:
    clerk = role_users["clerk"]
    old_copy = Meeting.objects.get(pk=meetings["draft"].pk)
    _edit(meetings["draft"], clerk, title="Dự thảo họp (bản cuối)")

    services.meeting_publish(meeting=old_copy, by=clerk, late_reason="Gấp")

    saved = Meeting.objects.get(pk=old_copy.pk)
    assert saved.title == "Dự thảo họp (bản cuối)"
    assert saved.status == Meeting.Status.PUBLISHED


@pytest.mark.django_db
def test_the_status_is_checked_on_what_is_saved_not_on_the_old_copy(role_users, meetings) -> None:
    clerk = role_users["clerk"]
    old_copy = Meeting.objects.get(pk=meetings["published"].pk)
    services.meeting_cancel(
        meeting=Meeting.objects.get(pk=old_copy.pk), by=clerk, reason="Huỷ lần một"
    )
    # The old copy still says "published"; cancelling again is refused all the same.
    with pytest.raises(ValidationError) as caught:
        services.meeting_cancel(meeting=old_copy, by=clerk, reason="Huỷ lần hai")
    assert caught.value.code == "cancelled"
    with pytest.raises(ValidationError):
        services.meeting_postpone(
            meeting=old_copy, by=clerk, reason="Hoãn", start_at=None, end_at=None
        )
    saved = Meeting.objects.get(pk=old_copy.pk)
    assert saved.status_reason == "Huỷ lần một"
    assert saved.changes.filter(kind=MeetingChange.Kind.CANCELLED).count() == 1


# ---- the pages send the revision they showed ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "key", "data"),
    [
        ("meetings:cancel", "published", {"reason": "Huỷ"}),
        ("meetings:postpone", "published", {"reason": "Hoãn"}),
        ("meetings:delete", "draft", {"reason": "Xoá"}),
        ("meetings:publish", "draft", {"late_reason": "Gấp"}),
    ],
)
def test_an_action_on_a_meeting_changed_since_the_page_opened_is_refused(
    client_for, role_users, meetings, name, key, data
) -> None:
    client = client_for("clerk")
    meeting = meetings[key]
    page = client.get(reverse(name, args=[meeting.pk]))
    shown = page.context["form"]["revision"].value()
    assert f'name="revision" value="{shown}"' in page.content.decode()

    _edit(meeting, role_users["clerk"], title="Đã sửa trong lúc đó")

    response = client.post(reverse(name, args=[meeting.pk]), {**data, "revision": shown})
    assert response.status_code == 409
    assert "CHƯA được thực hiện" in response.content.decode()
    saved = Meeting.objects.get(pk=meeting.pk)
    assert (saved.status, saved.deleted_at, saved.title) == (
        meeting.status,
        None,
        "Đã sửa trong lúc đó",
    )

    # With the page opened again, the action goes through.
    fresh = client.get(reverse(name, args=[meeting.pk])).context["form"]["revision"].value()
    response = client.post(reverse(name, args=[meeting.pk]), {**data, "revision": fresh})
    assert response.status_code == 302


@pytest.mark.django_db
def test_cancel_postpone_and_delete_are_three_pages_that_do_only_their_own_thing(
    client_for, meetings
) -> None:
    client = client_for("clerk")
    draft = meetings["draft"]
    # Cancelling a draft is refused with its own message; it never falls through to deleting.
    response = client.post(reverse("meetings:cancel", args=[draft.pk]), {"reason": "Thử"})
    assert response.status_code == 200
    assert "hãy xoá dự thảo" in response.content.decode()
    assert Meeting.objects.get(pk=draft.pk).deleted_at is None
    response = client.post(reverse("meetings:postpone", args=[draft.pk]), {"reason": "Thử"})
    assert "Chỉ hoãn được cuộc họp đã phát hành." in response.content.decode()
    assert Meeting.objects.get(pk=draft.pk).deleted_at is None


# ---- documents are frozen with a cancelled meeting ---------------------------------------------


@pytest.fixture
def cancelled(role_users, meetings) -> Meeting:
    return services.meeting_cancel(
        meeting=meetings["published"], by=role_users["clerk"], reason="Huỷ"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["documents:edit", "documents:replace", "documents:delete"])
def test_a_cancelled_meetings_document_forms_are_closed(
    client_for, meetings, cancelled, name
) -> None:
    document = meetings["document"]
    client = client_for("clerk")
    assert client.get(reverse(name, args=[document.pk])).status_code == 403
    before = Document.objects.get(pk=document.pk)
    posted = client.post(
        reverse(name, args=[document.pk]),
        {
            "title": "Sửa sau khi huỷ",
            "reason": "Xoá sau khi huỷ",
            "file": SimpleUploadedFile("v3.pdf", pdf_bytes("v3")),
        },
    )
    assert posted.status_code == 403
    after = Document.objects.get(pk=document.pk)
    assert (after.title, after.current_id, after.deleted_at) == (
        before.title,
        before.current_id,
        None,
    )
    # The document is still there to read.
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 200


@pytest.mark.django_db
def test_the_document_services_refuse_a_cancelled_meeting(role_users, meetings, cancelled) -> None:
    clerk = role_users["clerk"]
    document = meetings["document"]
    attempts = [
        lambda: document_update(document=document, by=clerk, data={"title": "Mới"}),
        lambda: document_replace(
            document=document, by=clerk, uploaded=SimpleUploadedFile("v3.pdf", pdf_bytes("v3"))
        ),
        lambda: document_delete(document=document, by=clerk, reason="Thử"),
        lambda: make_document(cancelled, clerk, "Thêm sau khi huỷ.pdf"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.code == "frozen"
    assert document.versions.count() == 2
    assert Document.objects.filter(meeting=cancelled).count() == 1


@pytest.mark.django_db
def test_an_ended_meetings_documents_stay_open_to_the_organiser(
    client_for, role_users, department
) -> None:
    clerk = role_users["clerk"]
    meeting = make_meeting(by=clerk, units=[department])
    publish(meeting, clerk)
    document = make_document(meeting, clerk, "Kết luận.pdf")
    # The meeting took place yesterday.
    Meeting.objects.filter(pk=meeting.pk).update(
        start_at=meeting.start_at.replace(year=meeting.start_at.year - 1),
        end_at=meeting.end_at.replace(year=meeting.end_at.year - 1),
    )
    client = client_for("clerk")
    assert client.get(reverse("documents:replace", args=[document.pk])).status_code == 200
    assert (
        client_for("member").get(reverse("documents:replace", args=[document.pk])).status_code
        == 403
    )


# ---- PostgreSQL: an edit and a cancel race ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_edit_and_a_cancel_racing_lose_nothing(office, department, role_users) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time; the race needs PostgreSQL's row locks")
    clerk = role_users["clerk"]
    meeting = make_meeting(by=clerk, units=[department])
    publish(meeting, clerk)
    old_copy = Meeting.objects.get(pk=meeting.pk)  # the cancel page's copy
    edit_saved = threading.Event()
    events: list[str] = []

    def edit() -> None:
        try:
            with transaction.atomic():
                _edit(meeting, clerk, title="Họp giao ban (đổi giờ)")
                events.append("edit saved, not committed")
                edit_saved.set()
                time.sleep(0.5)  # the cancel arrives now and must wait for this commit
                # Written before the commit: once it commits, the cancel may finish before this
                # thread runs again, so an entry written after it could come second.
                events.append("edit ends its transaction")
        finally:
            connection.close()

    def cancel() -> None:
        try:
            edit_saved.wait(5)
            services.meeting_cancel(meeting=old_copy, by=clerk, reason="Trùng lịch")
            events.append("cancel committed")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit), threading.Thread(target=cancel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    # Had the cancel not waited for the edit's row lock, it would have finished during the sleep.
    assert events == ["edit saved, not committed", "edit ends its transaction", "cancel committed"]
    saved = Meeting.objects.get(pk=meeting.pk)
    assert saved.title == "Họp giao ban (đổi giờ)"
    assert saved.status == Meeting.Status.CANCELLED
    assert saved.status_reason == "Trùng lịch"
    kinds = list(saved.changes.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == [MeetingChange.Kind.EDITED, MeetingChange.Kind.CANCELLED]


@pytest.mark.django_db(transaction=True)
def test_a_cancel_with_the_revision_it_showed_is_refused_after_a_racing_edit(
    office, department, role_users
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time; the race needs PostgreSQL's row locks")
    clerk = role_users["clerk"]
    meeting = make_meeting(by=clerk, units=[department])
    publish(meeting, clerk)
    shown = Meeting.objects.get(pk=meeting.pk).revision
    edit_saved = threading.Event()
    outcome: dict[str, object] = {}

    def edit() -> None:
        try:
            with transaction.atomic():
                _edit(meeting, clerk, title="Họp giao ban (đổi giờ)")
                edit_saved.set()
                time.sleep(0.3)
        finally:
            connection.close()

    def cancel() -> None:
        try:
            edit_saved.wait(5)
            services.meeting_cancel(meeting=meeting, by=clerk, reason="Trùng", revision=shown)
        except services.StaleEdit:
            outcome["cancel"] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=edit), threading.Thread(target=cancel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert outcome == {"cancel": "refused"}
    saved = Meeting.objects.get(pk=meeting.pk)
    assert (saved.title, saved.status) == ("Họp giao ban (đổi giờ)", Meeting.Status.PUBLISHED)
