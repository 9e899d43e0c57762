"""Agenda items (B9) through the real meeting form, the meeting page, the printed invitation, the
document forms and the API; the split of older free-text agendas; the date-and-time box."""

import importlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.models import Document
from meetings.agenda import AgendaRow, agenda_text, split_agenda
from meetings.models import AgendaItem, Meeting, MeetingChange
from meetings.tests.factories import make_document, make_meeting, publish

SCRIPT = "<script>alert('x')</script>"


def _moment(dt) -> str:
    return timezone.localtime(dt).strftime("%d/%m/%Y %H:%M")


def _meeting_fields(meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "start_at": _moment(meeting.start_at),
        "end_at": _moment(meeting.end_at),
        "type": meeting.type_id,
        "form": meeting.form_id,
        "location": meeting.location_id,
        "is_public": "on",
        "units": [i.unit_id for i in meeting.invitations.all() if i.unit_id],
        "revision": meeting.revision,
    }


def _rows(rows: list[dict], initial: int = 0, extra_blank: int = 3) -> dict:
    """The formset's POST data: the given rows, then blank rows as the page sends them."""
    data = {
        "agenda-TOTAL_FORMS": len(rows) + extra_blank,
        "agenda-INITIAL_FORMS": initial,
        "agenda-MIN_NUM_FORMS": 0,
        "agenda-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"agenda-{i}-{key}"] = value
    for i in range(len(rows), len(rows) + extra_blank):
        data.update(
            {
                f"agenda-{i}-id": "",
                f"agenda-{i}-title": "",
                f"agenda-{i}-presenter": "",
                f"agenda-{i}-planned_minutes": "",
                f"agenda-{i}-position": "",
            }
        )
    return data


def _items(meeting: Meeting) -> list[tuple[int, str, str, int | None]]:
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position")
        .values_list("position", "title", "presenter", "planned_minutes")
    )


@pytest.fixture
def meeting_with_items(role_users, department) -> Meeting:
    clerk = role_users["clerk"]
    meeting = make_meeting(by=clerk, title="Họp bàn kế hoạch năm", units=[department], agenda="x")
    from meetings import services

    fresh = Meeting.objects.get(pk=meeting.pk)
    services.meeting_update(
        meeting=fresh,
        by=clerk,
        data={},
        revision=fresh.revision,
        invitees=services.Invitees(units=[department]),
        agenda=[
            AgendaRow("Báo cáo tình hình", "Sở Tài chính", 30),
            AgendaRow("Thảo luận", "", 45),
            AgendaRow("Kết luận", "Chủ tịch", 10),
        ],
    )
    return Meeting.objects.get(pk=meeting.pk)


# ---- the split of older free-text agendas ------------------------------------------------------


def test_split_leaves_out_numbering_and_blank_lines() -> None:
    text = "1. Báo cáo\n\n  2) Thảo luận  \n- Kết luận\n• Khác\n2025 là năm bản lề"
    assert [r.title for r in split_agenda(text)] == [
        "Báo cáo",
        "Thảo luận",
        "Kết luận",
        "Khác",
        "2025 là năm bản lề",
    ]
    assert agenda_text([AgendaRow("Báo\ncáo", "Sở\nTài chính"), AgendaRow("Kết luận")]) == (
        "1. Báo cáo (Sở Tài chính)\n2. Kết luận"
    )


def test_the_migration_splits_each_line_into_an_item(role_users) -> None:
    """Migration 0006's own function, run with the models as they were at that migration."""
    meeting = make_meeting(by=role_users["clerk"])
    AgendaItem.objects.all().delete()
    Meeting.objects.filter(pk=meeting.pk).update(agenda="1. Báo cáo quý III\n\n2) Thảo luận\n- ")
    untouched = make_meeting(by=role_users["clerk"], title="Không nội dung", agenda="")
    AgendaItem.objects.filter(meeting=untouched).delete()
    module = importlib.import_module("meetings.migrations.0006_agenda_items")
    state = MigrationExecutor(connection).loader.project_state(("meetings", "0006_agenda_items"))

    module.agenda_to_items(state.apps, None)

    assert _items(meeting) == [
        (1, "Báo cáo quý III", "", None),
        (2, "Thảo luận", "", None),
        (3, "-", "", None),
    ]
    assert not AgendaItem.objects.filter(meeting=untouched).exists()
    assert Meeting.objects.get(pk=meeting.pk).agenda.startswith("1. Báo cáo quý III")


# ---- the meeting form --------------------------------------------------------------------------


def test_create_with_items_ignores_blank_rows(client_for, role_users, department) -> None:
    template = make_meeting(by=role_users["clerk"], units=[department])
    fields = _meeting_fields(template)
    fields["title"] = "Họp triển khai nhiệm vụ năm 2027"
    fields["start_at"] = _moment(template.start_at + timedelta(days=1))
    fields["end_at"] = _moment(template.end_at + timedelta(days=1))
    rows = [
        {"title": "Báo cáo", "presenter": "Sở Tài chính", "planned_minutes": "30", "position": "1"},
        {"title": "Thảo luận", "presenter": "", "planned_minutes": "", "position": "2"},
    ]
    response = client_for("clerk").post(reverse("meetings:create"), {**fields, **_rows(rows)})

    meeting = Meeting.objects.get(title="Họp triển khai nhiệm vụ năm 2027")
    assert response.status_code == 302
    assert _items(meeting) == [(1, "Báo cáo", "Sở Tài chính", 30), (2, "Thảo luận", "", None)]
    assert meeting.agenda == "1. Báo cáo (Sở Tài chính)\n2. Thảo luận"
    assert timezone.localtime(meeting.start_at).strftime("%d/%m/%Y %H:%M") == fields["start_at"]


def test_edit_reorders_removes_and_adds(client_for, meeting_with_items, role_users) -> None:
    meeting = meeting_with_items
    publish(meeting, role_users["clerk"])
    meeting.refresh_from_db()
    first, second, third = AgendaItem.objects.filter(meeting=meeting).order_by("position")
    document = make_document(meeting, role_users["clerk"], "Báo cáo.pdf")
    Document.objects.filter(pk=document.pk).update(agenda_item=third)
    rows = [
        {
            "id": first.pk,
            "title": first.title,
            "presenter": first.presenter,
            "planned_minutes": "30",
            "position": "2",
        },
        {
            "id": second.pk,
            "title": second.title,
            "presenter": "",
            "planned_minutes": "45",
            "position": "2",
            "DELETE": "on",
        },
        # Moved to the first place by its number: it goes before the row that had it.
        {
            "id": third.pk,
            "title": "Kết luận của Chủ tịch",
            "presenter": "Chủ tịch",
            "planned_minutes": "10",
            "position": "1",
        },
        {"title": "Các nội dung khác", "presenter": "", "planned_minutes": "", "position": ""},
    ]
    url = reverse("meetings:edit", args=[meeting.pk])
    response = client_for("clerk").post(url, {**_meeting_fields(meeting), **_rows(rows, initial=3)})

    assert response.status_code == 302
    assert _items(meeting) == [
        (1, "Kết luận của Chủ tịch", "Chủ tịch", 10),
        (2, "Báo cáo tình hình", "Sở Tài chính", 30),
        (3, "Các nội dung khác", "", None),
    ]
    assert AgendaItem.objects.filter(pk=third.pk).exists()  # edited in place, not replaced
    assert not AgendaItem.objects.filter(pk=second.pk).exists()
    assert Document.objects.get(pk=document.pk).agenda_item_id == third.pk
    saved = Meeting.objects.get(pk=meeting.pk)
    assert saved.revision == meeting.revision + 1
    assert saved.agenda == (
        "1. Kết luận của Chủ tịch (Chủ tịch)\n2. Báo cáo tình hình (Sở Tài chính)\n"
        "3. Các nội dung khác"
    )
    change = saved.changes.filter(kind=MeetingChange.Kind.EDITED).order_by("-id").first()
    assert change.visible_to_invitees
    before, after = change.details["agenda"]
    assert before.startswith("1. Báo cáo tình hình (Sở Tài chính)\n2. Thảo luận")
    assert after == saved.agenda


def test_an_unchanged_agenda_writes_no_history(client_for, meeting_with_items) -> None:
    meeting = meeting_with_items
    items = AgendaItem.objects.filter(meeting=meeting).order_by("position")
    rows = [
        {
            "id": i.pk,
            "title": i.title,
            "presenter": i.presenter,
            "planned_minutes": i.planned_minutes,
            "position": i.position,
        }
        for i in items
    ]
    before = meeting.changes.count()
    url = reverse("meetings:edit", args=[meeting.pk])
    response = client_for("clerk").post(url, {**_meeting_fields(meeting), **_rows(rows, initial=3)})
    assert response.status_code == 302
    assert meeting.changes.count() == before, list(meeting.changes.values_list("details"))


def test_script_titles_are_text_on_every_page(client_for, meeting_with_items, role_users) -> None:
    item = AgendaItem.objects.filter(meeting=meeting_with_items).first()
    AgendaItem.objects.filter(pk=item.pk).update(title=f"Báo cáo {SCRIPT}", presenter=SCRIPT)
    client = client_for("clerk")
    for url in [
        reverse("meetings:detail", args=[meeting_with_items.pk]),
        reverse("meetings:edit", args=[meeting_with_items.pk]),
        reverse("meetings:print_invitation", args=[meeting_with_items.pk]),
    ]:
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert "&lt;script&gt;" in page, url


def test_a_forged_item_id_of_another_meeting_is_refused(
    client_for, meeting_with_items, role_users
) -> None:
    other = make_meeting(by=role_users["clerk"], title="Cuộc họp khác", agenda="Nội dung riêng")
    foreign = AgendaItem.objects.get(meeting=other)
    meeting = meeting_with_items
    before = _items(meeting)
    rows = [
        {
            "id": foreign.pk,
            "title": "Chiếm nội dung",
            "presenter": "",
            "planned_minutes": "",
            "position": "1",
        }
    ]
    url = reverse("meetings:edit", args=[meeting.pk])
    response = client_for("clerk").post(url, {**_meeting_fields(meeting), **_rows(rows, initial=1)})
    assert response.status_code == 200
    assert _items(meeting) == before
    assert AgendaItem.objects.get(pk=foreign.pk).title == "Nội dung riêng"
    assert Meeting.objects.get(pk=meeting.pk).revision == meeting.revision


def test_a_stale_form_with_items_is_409_and_changes_nothing(client_for, meeting_with_items) -> None:
    meeting = meeting_with_items
    url = reverse("meetings:edit", args=[meeting.pk])
    fields = _meeting_fields(meeting)
    rows = [{"title": "Bản A", "presenter": "", "planned_minutes": "", "position": "1"}]
    first = client_for("clerk").post(url, {**fields, **_rows(rows)})
    assert first.status_code == 302
    after_first = _items(meeting)
    rows = [{"title": "Bản B", "presenter": "", "planned_minutes": "", "position": "1"}]
    second = client_for("clerk").post(url, {**fields, **_rows(rows)})
    assert second.status_code == 409
    assert "CHƯA được lưu" in second.content.decode()
    assert _items(meeting) == after_first
    assert "Bản B" not in [t for _p, t, _pr, _m in _items(meeting)]


def test_a_title_left_out_of_a_filled_row_is_named(client_for, meeting_with_items) -> None:
    meeting = meeting_with_items
    rows = [{"title": "", "presenter": "Sở Tài chính", "planned_minutes": "20", "position": ""}]
    url = reverse("meetings:edit", args=[meeting.pk])
    response = client_for("clerk").post(url, {**_meeting_fields(meeting), **_rows(rows)})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert len(_items(meeting)) == 3


# ---- the meeting page, the printed invitation, the API ----------------------------------------


def test_the_page_shows_items_with_their_documents(
    client_for, meeting_with_items, role_users
) -> None:
    meeting = meeting_with_items
    clerk = role_users["clerk"]
    first = AgendaItem.objects.filter(meeting=meeting).order_by("position").first()
    attached = make_document(meeting, clerk, "To trinh.pdf")
    Document.objects.filter(pk=attached.pk).update(agenda_item=first)
    make_document(meeting, clerk, "Tai lieu chung.pdf")
    page = client_for("clerk").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    items_part = page.split('class="list-group list-group-numbered mb-3 agenda-items"')[1]
    items_part, documents_part = items_part.split('class="list-group my-2 documents"')
    documents_part = documents_part.split("</ul>")[0]
    assert (
        items_part.index("Báo cáo tình hình")
        < items_part.index("Thảo luận")
        < items_part.index("Kết luận")
    )
    assert "Sở Tài chính" in items_part and "30 phút" in items_part
    assert "To trinh" in items_part and "To trinh" not in documents_part
    assert "Tai lieu chung" in documents_part


def test_print_invitation_lists_the_items(client_for, meeting_with_items) -> None:
    page = (
        client_for("clerk")
        .get(reverse("meetings:print_invitation", args=[meeting_with_items.pk]))
        .content.decode()
    )
    assert '<ol class="agenda">' in page
    assert page.index("Báo cáo tình hình") < page.index("Thảo luận") < page.index("Kết luận")


def test_the_api_shows_the_items(meeting_with_items, role_users, client) -> None:
    from api.services import token_create

    _token, token = token_create(owner=role_users["clerk"], name="Thử", scope="read", days=30)
    first = AgendaItem.objects.filter(meeting=meeting_with_items).order_by("position").first()
    document = make_document(meeting_with_items, role_users["clerk"], "To trinh.pdf")
    Document.objects.filter(pk=document.pk).update(agenda_item=first)
    response = client.get(
        f"/api/v1/meetings/{meeting_with_items.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    items = response.json()["agenda_items"]
    assert [(i["position"], i["title"], i["presenter"], i["planned_minutes"]) for i in items] == [
        (1, "Báo cáo tình hình", "Sở Tài chính", 30),
        (2, "Thảo luận", "", 45),
        (3, "Kết luận", "Chủ tịch", 10),
    ]
    assert items[0]["document_ids"] == [document.pk] and items[1]["document_ids"] == []


def _count(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_page_query_count_does_not_grow_with_items(
    client_for, meeting_with_items, role_users
) -> None:
    meeting = meeting_with_items
    clerk = role_users["clerk"]
    client = client_for("clerk")
    url = reverse("meetings:detail", args=[meeting.pk])
    items = list(AgendaItem.objects.filter(meeting=meeting))
    # One document from the start: the page's per-document blocks (receipts, signatures found)
    # are one query each whatever their number, and none when there is no document at all.
    first = make_document(meeting, clerk, "Tai lieu dau.pdf")
    Document.objects.filter(pk=first.pk).update(agenda_item=items[0])
    for path in (
        url,
        reverse("meetings:edit", args=[meeting.pk]),
        reverse("meetings:print_invitation", args=[meeting.pk]),
    ):
        client.get(path)  # warm: receipts, sessions
    few = (_count(client, url), _count(client, reverse("meetings:edit", args=[meeting.pk])))
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=4 + n,
            title=f"Nội dung {n}",
            presenter="Sở",
            planned_minutes=10,
        )
        for n in range(8)
    )
    for n in range(6):
        document = make_document(meeting, clerk, f"Tai lieu {n}.pdf")
        Document.objects.filter(pk=document.pk).update(agenda_item=items[n % len(items)])
    many = (_count(client, url), _count(client, reverse("meetings:edit", args=[meeting.pk])))
    assert many == few
    assert "Nội dung 7" in client.get(url).content.decode()


# ---- documents belong to an item of their meeting ---------------------------------------------


def test_document_edit_takes_an_item_and_refuses_another_meetings(
    client_for, meeting_with_items, role_users
) -> None:
    clerk = role_users["clerk"]
    document = make_document(meeting_with_items, clerk, "To trinh.pdf")
    own = AgendaItem.objects.filter(meeting=meeting_with_items).order_by("position")[1]
    other = make_meeting(by=clerk, title="Cuộc họp khác", agenda="Nội dung riêng")
    foreign = AgendaItem.objects.get(meeting=other)
    client = client_for("clerk")
    url = reverse("documents:edit", args=[document.pk])
    page = client.get(url).content.decode()
    assert "Thuộc nội dung họp" in page and "2. Thảo luận" in page and "Nội dung riêng" not in page
    data = {"title": "Tờ trình", "number": "", "issuer": "", "issued_on": "", "order": 1}

    refused = client.post(url, {**data, "agenda_item": foreign.pk})
    assert refused.status_code == 200
    assert "không thuộc cuộc họp này" in refused.content.decode()
    assert Document.objects.get(pk=document.pk).agenda_item_id is None

    saved = client.post(url, {**data, "agenda_item": own.pk})
    assert saved.status_code == 302
    assert Document.objects.get(pk=document.pk).agenda_item_id == own.pk


def test_document_upload_to_an_item(client_for, meeting_with_items, role_users) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.tests.factories import pdf_bytes

    own = AgendaItem.objects.filter(meeting=meeting_with_items).order_by("position")[0]
    foreign = AgendaItem.objects.get(
        meeting=make_meeting(by=role_users["clerk"], title="Khác", agenda="Riêng")
    )
    url = reverse("meetings:add_documents", args=[meeting_with_items.pk])
    client = client_for("clerk")
    refused = client.post(
        url, {"files": SimpleUploadedFile("A.pdf", pdf_bytes("a")), "agenda_item": foreign.pk}
    )
    assert refused.status_code == 200 and "không thuộc cuộc họp này" in refused.content.decode()
    assert not Document.objects.filter(meeting=meeting_with_items).exists()
    client.post(url, {"files": SimpleUploadedFile("B.pdf", pdf_bytes("b")), "agenda_item": own.pk})
    assert Document.objects.get(meeting=meeting_with_items).agenda_item_id == own.pk


# ---- the date-and-time box ---------------------------------------------------------------------


def test_date_boxes_are_text_with_the_picker_only_where_used(
    client_for, meeting_with_items
) -> None:
    client = client_for("clerk")
    form = client.get(reverse("meetings:edit", args=[meeting_with_items.pk])).content.decode()
    assert 'type="datetime-local"' not in form
    assert f'value="{_moment(meeting_with_items.start_at)}"' in form
    assert "vendor/flatpickr/flatpickr.min.js" in form and "data-datepicker" in form
    assert "l10n/vn.js" in form  # the default language is Vietnamese
    detail = client.get(reverse("meetings:detail", args=[meeting_with_items.pk])).content.decode()
    assert "flatpickr" not in detail


@pytest.mark.django_db
def test_a_huge_row_count_builds_at_most_a_hundred_rows(client_for, meeting_with_items) -> None:
    """A posted TOTAL_FORMS of 10**20 is refused with at most 100 rows shown (Django's own bound
    would build and show 1 100)."""
    import re

    meeting = meeting_with_items
    data = {**_meeting_fields(meeting), **_rows([]), "agenda-TOTAL_FORMS": str(10**20)}
    response = client_for("clerk").post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 200
    rows = set(re.findall(r'name="agenda-(\d+)-title"', response.content.decode()))
    assert 0 < len(rows) <= 100
