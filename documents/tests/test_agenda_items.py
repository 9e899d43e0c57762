"""Documents and agenda items: chosen for a whole batch when uploading (the item preselected
from the meeting page), changed from the meeting page's documents list in one step."""

import re

from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Document
from meetings.models import AgendaItem, MeetingChange
from meetings.tests.factories import make_meeting, pdf_bytes


def _items(meeting):
    return [
        AgendaItem.objects.create(meeting=meeting, position=n, title=title)
        for n, title in enumerate(["Báo cáo quý III", "Kế hoạch năm sau"], start=1)
    ]


def test_upload_page_asks_for_the_item_first_and_preselects_it(client_for, meetings):
    meeting = meetings["published"]
    _, second = _items(meeting)
    url = reverse("meetings:add_documents", args=[meeting.pk])

    page = client_for("clerk").get(f"{url}?noi-dung={second.pk}").content.decode()

    select = re.search(r'<select name="agenda_item".*?</select>', page, re.S).group(0)
    assert re.search(rf'<option value="{second.pk}" selected>', select)
    assert page.index('name="agenda_item"') < page.index('name="type"')
    # Several files, one item for the batch.
    response = client_for("clerk").post(
        url,
        {
            "files": [
                SimpleUploadedFile("Du thao ke hoach.pdf", pdf_bytes("a")),
                SimpleUploadedFile("Phu luc.pdf", pdf_bytes("b")),
            ],
            "agenda_item": second.pk,
        },
    )
    assert response.status_code == 302
    added = Document.objects.filter(meeting=meeting, title__in=["Du thao ke hoach", "Phu luc"])
    assert [d.agenda_item_id for d in added] == [second.pk, second.pk]


def test_meeting_page_links_each_item_to_the_upload_page(client_for, meetings):
    meeting = meetings["published"]
    first, _ = _items(meeting)
    add = reverse("meetings:add_documents", args=[meeting.pk])
    detail = reverse("meetings:detail", args=[meeting.pk])
    assert f"{add}?noi-dung={first.pk}" in client_for("clerk").get(detail).content.decode()
    assert f"{add}?noi-dung={first.pk}" not in client_for("member").get(detail).content.decode()


def test_the_row_select_moves_a_document_and_records_it(client_for, meetings, role_users):
    meeting, document = meetings["published"], meetings["document"]
    first, second = _items(meeting)
    url = reverse("documents:set_agenda_item", args=[document.pk])
    detail = reverse("meetings:detail", args=[meeting.pk])

    page = client_for("clerk").get(detail).content.decode()
    assert f'action="{url}"' in page and 'hx-post="' + url + '"' in page
    assert f'action="{url}"' not in client_for("member").get(detail).content.decode()

    # Without JavaScript: the form posts, the page comes back at the document.
    response = client_for("clerk").post(url, {"agenda_item": first.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{detail}#tai-lieu-{document.pk}"
    document.refresh_from_db()
    assert document.agenda_item_id == first.pk

    # With HTMX: the same form comes back, saved, with the new item chosen.
    response = client_for("clerk").post(url, {"agenda_item": second.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert re.search(rf'<option value="{second.pk}" selected>', fragment)
    assert "Đã lưu" in fragment and "<html" not in fragment
    document.refresh_from_db()
    assert document.agenda_item_id == second.pk

    # Back to the common documents.
    client_for("clerk").post(url, {"agenda_item": ""})
    document.refresh_from_db()
    assert document.agenda_item_id is None

    history = meeting.changes.filter(details__document=document.pk, kind=MeetingChange.Kind.EDITED)
    assert history.count() == 3
    assert all(not c.visible_to_invitees and c.notified_at for c in history)
    assert "Kế hoạch năm sau" in history.order_by("id")[1].summary
    logged = LogEntry.objects.get_for_object(document).filter(action=LogEntry.Action.UPDATE)
    moves = [e for e in logged if "agenda_item" in e.changes_dict]
    assert len(moves) == 3 and {e.actor for e in moves} == {role_users["clerk"]}


def test_the_row_select_refuses_the_wrong_people_items_and_methods(
    client_for, meetings, role_users
):
    meeting, document = meetings["published"], meetings["document"]
    first, _ = _items(meeting)
    url = reverse("documents:set_agenda_item", args=[document.pk])

    assert client_for("member").post(url, {"agenda_item": first.pk}).status_code == 403
    assert client_for("secretary").post(url, {"agenda_item": first.pk}).status_code == 403
    assert client_for("outsider").post(url, {"agenda_item": first.pk}).status_code == 404
    assert client_for("anonymous").post(url, {"agenda_item": first.pk}).status_code == 302
    assert client_for("clerk").get(url).status_code == 405
    other = make_meeting(by=role_users["clerk"], title="Cuộc họp khác")
    foreign = AgendaItem.objects.create(meeting=other, position=1, title="Nội dung khác")
    refused = client_for("clerk").post(url, {"agenda_item": foreign.pk}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert "không thuộc cuộc họp này" in refused.content.decode()
    document.refresh_from_db()
    assert document.agenda_item_id is None
    assert not meeting.changes.filter(details__document=document.pk, kind="edited").exists()
