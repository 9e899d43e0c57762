"""The viewer's JSON endpoints: list, create, change, delete; access; bad input; versions."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.services import document_replace
from notes.models import MAX_TEXT, Note

from .conftest import highlight, pages_pdf, pin, post_json

pytestmark = pytest.mark.django_db


def test_member_highlights_and_pins(client_for, role_users, document, create_url):
    client = client_for("member")
    response = post_json(client, create_url, highlight(clientId=str(uuid.uuid4())))
    assert response.status_code == 201, response.content
    response = post_json(client, create_url, pin(shared=True))
    assert response.status_code == 201
    notes = Note.objects.filter(author=role_users["member"]).order_by("id")
    assert [(n.kind, n.page, n.version_id) for n in notes] == [
        ("highlight", 1, document.current_id),
        ("pin", 1, document.current_id),
    ]
    assert notes[0].quote == "Kế hoạch năm" and notes[0].rects == [[0.1, 0.2, 0.3, 0.02]]
    assert notes[0].shared_unit is None
    assert notes[1].rects == [[0.5, 0.5, 0.0, 0.0]]
    assert notes[1].shared_unit == role_users["member"].unit
    listed = client.get(create_url).json()
    assert [n["kind"] for n in listed["notes"]] == ["highlight", "pin"]
    assert all(n["mine"] and n["updateUrl"] for n in listed["notes"])


def test_double_submit_saves_once(client_for, role_users, create_url):
    client = client_for("member")
    data = highlight(clientId=str(uuid.uuid4()))
    first = post_json(client, create_url, data)
    second = post_json(client, create_url, data)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["note"]["id"] == second.json()["note"]["id"]
    # Without an id from the browser: the same note twice within a moment is one note.
    third = post_json(client, create_url, pin())
    fourth = post_json(client, create_url, pin())
    assert (third.status_code, fourth.status_code) == (201, 200)
    assert Note.objects.filter(author=role_users["member"]).count() == 2


def test_unit_shared_notes_reach_the_unit_only(
    client_for, login, role_users, colleague, document, create_url
):
    member = client_for("member")
    post_json(member, create_url, pin(text="Riêng tư của tôi"))
    post_json(member, create_url, pin(text="Chia sẻ cho đơn vị", shared=True))
    theirs = login(colleague).get(create_url).json()["notes"]
    assert [(n["text"], n["mine"], n["author"]) for n in theirs] == [
        ("Chia sẻ cho đơn vị", False, role_users["member"].get_full_name())
    ]
    assert "updateUrl" not in theirs[0] and theirs[0]["clientId"] is None
    # The unit leader and the unit account of the same department read it too.
    for role in ("unit_leader", "unit_clerk"):
        texts = [n["text"] for n in client_for(role).get(create_url).json()["notes"]]
        assert texts == ["Chia sẻ cho đơn vị"], role
    # The office's clerk and secretary see the document but are another unit.
    for role in ("clerk", "secretary"):
        assert client_for(role).get(create_url).json()["notes"] == [], role
    # Own notes come first, then the unit's.
    post_json(login(colleague), create_url, pin(text="Của đồng nghiệp", page=1))
    mine_first = login(colleague).get(create_url).json()["notes"]
    assert [n["text"] for n in mine_first] == ["Của đồng nghiệp", "Chia sẻ cho đơn vị"]


def test_sharing_is_read_only_for_the_unit(client_for, login, colleague, create_url):
    member = client_for("member")
    shared = post_json(member, create_url, pin(shared=True)).json()["note"]
    private = post_json(member, create_url, pin(text="Riêng")).json()["note"]
    other = login(colleague)
    assert post_json(other, shared["updateUrl"], {"text": "Sửa trộm"}).status_code == 403
    assert other.post(shared["deleteUrl"]).status_code == 403
    assert post_json(other, private["updateUrl"], {"text": "Sửa trộm"}).status_code == 404
    assert other.post(private["deleteUrl"]).status_code == 404
    for role in ("clerk", "admin", "outsider", "unit_leader"):
        assert post_json(client_for(role), shared["updateUrl"], {"text": "x"}).status_code in (
            403,
            404,
        )
    assert set(Note.objects.values_list("text", flat=True)) == {"Cần hỏi lại số liệu", "Riêng"}
    assert Note.objects.alive().count() == 2


def test_update_and_delete(client_for, role_users, create_url):
    member = client_for("member")
    note = post_json(member, create_url, pin()).json()["note"]
    response = post_json(
        member, note["updateUrl"], {"text": "Đã hỏi: số liệu quý III", "shared": True}
    )
    assert response.status_code == 200
    saved = Note.objects.get(pk=note["id"])
    assert saved.text == "Đã hỏi: số liệu quý III" and saved.shared_unit_id is not None
    assert post_json(member, note["updateUrl"], {"shared": False}).status_code == 200
    saved.refresh_from_db()
    assert saved.shared_unit_id is None and saved.text == "Đã hỏi: số liệu quý III"
    assert member.post(note["deleteUrl"]).status_code == 200
    saved.refresh_from_db()
    assert saved.deleted_at is not None  # kept, marked
    assert member.get(create_url).json()["notes"] == []
    # Deleted: gone for its author too.
    assert post_json(member, note["updateUrl"], {"text": "x"}).status_code == 404


@pytest.mark.parametrize("role", ["outsider", "admin"])
def test_a_document_not_seen_is_404(client_for, role, create_url):
    client = client_for(role)
    assert client.get(create_url).status_code == 404
    assert post_json(client, create_url, pin()).status_code == 404
    assert not Note.objects.exists()


def test_draft_document_and_anonymous(client_for, meetings):
    url = reverse("notes:document", args=[meetings["draft_document"].pk])
    assert client_for("member").get(url).status_code == 404
    assert post_json(client_for("member"), url, pin()).status_code == 404
    assert client_for("clerk").get(url).status_code == 200  # its organiser
    anonymous = client_for("anonymous")
    response = post_json(
        anonymous, reverse("notes:document", args=[meetings["document"].pk]), pin()
    )
    assert (
        response.status_code == 302
        and "/dang-nhap" in response["Location"]
        or response["Location"].startswith(reverse("accounts:login"))
    )
    assert not Note.objects.exists()


def test_wrong_methods(client_for, create_url):
    member = client_for("member")
    note = post_json(member, create_url, pin()).json()["note"]
    assert member.put(create_url).status_code == 405
    assert member.delete(create_url).status_code == 405
    assert member.get(note["updateUrl"]).status_code == 405
    assert member.get(note["deleteUrl"]).status_code == 405
    assert Note.objects.alive().count() == 1


def test_csrf_is_required(role_users, create_url):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(role_users["member"])
    assert post_json(client, create_url, pin()).status_code == 403
    token = "a" * 32
    client.cookies["csrftoken"] = token
    response = client.post(
        create_url, data=json.dumps(pin()), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201
    assert Note.objects.count() == 1


def test_script_stays_text(client_for, create_url):
    member = client_for("member")
    text = '<script>alert("x")</script> & <b>đậm</b>'
    note = post_json(member, create_url, pin(text=text, shared=True)).json()["note"]
    assert Note.objects.get(pk=note["id"]).text == text
    assert member.get(create_url).json()["notes"][0]["text"] == text
    page = member.get(reverse("notes:mine")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pin(text="x" * (MAX_TEXT + 1)), "nhiều nhất 4000 ký tự"),
        (pin(text=""), "Hãy nhập nội dung ghi chú"),
        (pin(rects=[[1.2, 0.5]]), "từ 0 đến 1"),
        (pin(rects=[[-0.1, 0.5]]), "từ 0 đến 1"),
        (pin(rects=[[0.5, "0.5"]]), "không hợp lệ"),
        (highlight(rects=[[0.9, 0.1, 0.5, 0.1]]), "từ 0 đến 1"),
        (highlight(rects=[[0.1, 0.1, 0.1, 0.01]] * 61), "nhiều nhất 60 dòng"),
        (highlight(rects=[]), "Thiếu vị trí"),
        (highlight(quote=""), "Hãy chọn đoạn văn bản"),
        (highlight(quote="q" * 1001), "nhiều nhất 1000 ký tự"),
        (pin(page=0), "Số trang không hợp lệ"),
        (pin(page="2"), "Số trang không hợp lệ"),
        (pin(page=2), "chỉ có 1 trang"),
        (pin(kind="drawing"), "Loại ghi chú không hợp lệ"),
        (pin(clientId="abc"), "Mã ghi chú không hợp lệ"),
        (pin(versionId=999999), "Phiên bản không thuộc tài liệu này"),
        (pin(shared="yes"), "chia sẻ không hợp lệ"),
    ],
)
def test_bad_input_is_refused_with_a_message(client_for, create_url, data, message):
    response = post_json(client_for("member"), create_url, data)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Note.objects.exists()


def test_bad_bodies(client_for, create_url):
    member = client_for("member")
    for body in (b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe"):
        response = member.post(create_url, data=body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"] == "Dữ liệu gửi lên không đọc được."
    huge = json.dumps(pin(text="x" * 70_000))
    response = member.post(create_url, data=huge, content_type="application/json")
    assert response.status_code == 400 and "quá lớn" in response.json()["error"]
    # A form (multipart) instead of JSON: its body was read as a stream by the CSRF check.
    response = member.post(create_url, data={"text": "Ghi chú", "kind": "pin"})
    assert response.status_code == 400
    assert response.json()["error"] == "Dữ liệu gửi lên không đọc được."
    assert not Note.objects.exists()


def test_too_long_update_keeps_the_old_text(client_for, create_url):
    member = client_for("member")
    note = post_json(member, create_url, pin()).json()["note"]
    response = post_json(member, note["updateUrl"], {"text": "y" * (MAX_TEXT + 5)})
    assert response.status_code == 400 and "4005" in response.json()["error"]
    assert Note.objects.get(pk=note["id"]).text == "Cần hỏi lại số liệu"


def test_old_version_only_for_whom_sees_it(client_for, meetings, create_url):
    old = meetings["old_version"].pk
    response = post_json(client_for("member"), create_url, pin(versionId=old))
    assert response.status_code == 400
    assert "phiên bản hiện hành" in response.json()["error"]
    # The organiser reads the older versions, and may write on them.
    assert post_json(client_for("clerk"), create_url, pin(versionId=old)).status_code == 201


def test_page_past_the_end_of_a_longer_document(client_for, five_pages, create_url):
    member = client_for("member")
    assert post_json(member, create_url, pin(page=5)).status_code == 201
    response = post_json(member, create_url, pin(page=6))
    assert response.status_code == 400
    assert response.json()["error"] == "Tài liệu chỉ có 5 trang, không có trang 6."


def test_notes_survive_a_new_version(client_for, role_users, five_pages, create_url):
    member = client_for("member")
    made = post_json(member, create_url, highlight(page=4, quote="Trang 4")).json()["note"]
    on_version = five_pages.current
    document_replace(
        document=five_pages,
        by=role_users["clerk"],
        uploaded=SimpleUploadedFile("Kế hoạch sửa.pdf", pages_pdf(3)),
    )
    five_pages.refresh_from_db()
    assert five_pages.current_id != on_version.pk
    listed = member.get(create_url).json()
    assert listed["currentVersion"] == five_pages.current_id
    [note] = listed["notes"]
    assert note["id"] == made["id"] and note["page"] == 4
    assert note["otherVersion"] is True and note["versionNumber"] == on_version.number
    page = member.get(reverse("notes:mine")).content.decode()
    assert f"ghi trên phiên bản {on_version.number}" in page
    # Still the author's to change.
    assert post_json(member, note["updateUrl"], {"text": "Xem lại ở bản mới"}).status_code == 200
    assert Note.objects.get(pk=note["id"]).version_id == on_version.pk


def test_listing_costs_the_same_with_more_notes(
    client_for, login, colleague, create_url, django_assert_max_num_queries
):
    member = client_for("member")
    post_json(member, create_url, pin(text="một"))
    with django_assert_max_num_queries(30) as few:
        member.get(create_url)
    # Read now: each request empties the connection's query log.
    first = len(few.captured_queries)
    for n in range(30):
        post_json(member, create_url, pin(text=f"ghi chú {n}", shared=n % 2 == 0))
        post_json(login(colleague), create_url, pin(text=f"đồng nghiệp {n}", shared=True))
    with django_assert_max_num_queries(first):
        response = member.get(create_url)
    assert len(response.json()["notes"]) == 61


def test_the_viewer_panel_renders(rf, role_users, document):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = role_users["member"]
    html = Template("{% load notes_tags %}{% notes_panel document %}").render(
        Context({"document": document, "csrf_token": "tok", "request": request})
    )
    assert reverse("notes:document", args=[document.pk]) in html
    assert 'data-csrf="tok"' in html and f'data-version="{document.current_id}"' in html
    assert 'id="notes-strings"' in html and "Tô sáng" in html
    assert "js/notes.js" in html and "css/notes.css" in html
    assert " onclick=" not in html and " style=" not in html


def test_an_office_files_pages_come_from_its_conversion(client_for, role_users, meetings):
    from django.core.files.base import ContentFile

    from meetings.tests.factories import make_document
    from viewer.models import Rendition

    docx_bytes = _docx_bytes()
    document = make_document(
        meetings["published"], role_users["clerk"], "Tờ trình.docx", docx_bytes
    )
    url = reverse("notes:document", args=[document.pk])
    member = client_for("member")
    # Not converted yet: the page is not checked.
    assert post_json(member, url, pin(page=7)).status_code == 201
    rendition, _ = Rendition.objects.update_or_create(
        version=document.current, defaults={"status": Rendition.Status.DONE, "pages": 3}
    )
    rendition.file.save("r.pdf", ContentFile(pages_pdf(3)), save=True)
    response = post_json(member, url, pin(page=4, text="Trang bốn"))
    assert response.status_code == 400
    assert response.json()["error"] == "Tài liệu chỉ có 3 trang, không có trang 4."
    assert post_json(member, url, pin(page=3, text="Trang ba")).status_code == 201


def _docx_bytes() -> bytes:
    import io

    import docx

    word = docx.Document()
    word.add_paragraph("Tờ trình về kế hoạch năm")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
