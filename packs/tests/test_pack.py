"""The meeting pack read back with pypdf: outline, agenda page numbers, page numbers, text;
restricted documents per reader; built once per set of versions."""

import io
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from packs.models import Pack
from packs.services import pack_build, pack_request

from .conftest import replace, text_pdf


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _outline(reader: PdfReader) -> list:
    """[(title, page index, [(child title, page index)])]."""
    found = []
    items = reader.outline
    i = 0
    while i < len(items):
        item = items[i]
        children = []
        if i + 1 < len(items) and isinstance(items[i + 1], list):
            children = [(c.title, reader.get_destination_page_number(c)) for c in items[i + 1]]
            i += 1
        found.append((item.title, reader.get_destination_page_number(item), children))
        i += 1
    return found


def _pack_for(user, meeting) -> tuple[Pack, PdfReader]:
    pack = pack_request(meeting=meeting, user=user)
    built = pack_build(pack_id=pack.pk)
    assert built is not None and built.status == Pack.Status.DONE, built and built.error
    with built.file.open("rb") as handle:
        data = handle.read()
    return built, PdfReader(io.BytesIO(data))


def test_pack_of_three_agenda_items_read_back(agenda_meeting, role_users) -> None:
    meeting = agenda_meeting["meeting"]
    pack, reader = _pack_for(role_users["unit_clerk"], meeting)
    assert pack.reader is None  # no restricted document for this reader: the shared pack
    cover = 1 + 1  # the details page, the agenda page
    outline = _outline(reader)
    assert [title for title, _, _ in outline] == [
        "Trang bìa và chương trình họp",
        "1. Báo cáo tình hình quý IV",
        "2. Dự toán ngân sách",
        "3. Ý kiến các sở, ngành",
        "Tài liệu chung",
    ]
    # Documents in agenda order, each starting after the one before.
    assert outline[1][2] == [("Báo cáo tổng hợp", cover), ("Phụ lục số liệu", cover + 2)]
    assert outline[2][2] == [("Tờ trình dự toán", cover + 5)]
    assert outline[3][2] == [("Tổng hợp ý kiến", cover + 6)]
    assert outline[4][2] == [("Giấy mời", cover + 7)]
    total = cover + 8
    assert len(reader.pages) == total == pack.pages
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert f"Trang {number}/{total}" in text
    first = texts[0]
    assert "Họp bàn kế hoạch phát triển kinh tế – xã hội năm 2027" in first
    start = meeting.start_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert start.strftime("%d/%m/%Y %H:%M") in first
    assert "Trần Thị Chủ Trì" in first and "Phòng họp số 1" in first
    assert str(meeting.organiser_unit) in first
    # The agenda's page numbers (1-based) are where the documents start.
    agenda = texts[1]
    for title, page in [
        ("Báo cáo tổng hợp", cover + 1),
        ("Phụ lục số liệu", cover + 3),
        ("Tờ trình dự toán", cover + 6),
        ("Tổng hợp ý kiến", cover + 7),
        ("Giấy mời", cover + 8),
    ]:
        assert re.search(re.escape(title) + r" " + str(page) + r"\b", agenda), (title, agenda)
    assert "Thuyết minh chi tiết" in agenda
    assert "chỉ có bản tải về" in agenda  # the Word file not converted
    assert "Phương án nhân sự" not in " ".join(texts)  # restricted: not for this reader
    assert "Tăng trưởng đạt 7,5%" in texts[cover + 1]
    assert "Tờ trình dự toán ngân sách năm 2027" in texts[cover + 5]
    assert "Tổng hợp ý kiến đóng góp của các sở, ngành" in texts[cover + 6]


def test_restricted_document_stamped_for_its_audience_only(agenda_meeting, role_users) -> None:
    meeting = agenda_meeting["meeting"]
    shared, _ = _pack_for(role_users["member"], meeting)
    assert shared.reader is None
    audience = role_users["outsider"]  # the other department's account: the chosen audience
    own, reader = _pack_for(audience, meeting)
    assert own.reader == audience and own.key != shared.key
    outline = _outline(reader)
    assert [c[0] for c in outline[3][2]] == ["Tổng hợp ý kiến", "Phương án nhân sự"]
    page = outline[3][2][1][1]
    text = reader.pages[page].extract_text()
    assert "Phương án nhân sự mật" in text
    assert audience.get_username() in text  # the reader's watermark
    # The stamp is on the restricted document only.
    assert audience.get_username() not in reader.pages[page - 1].extract_text()


def test_built_once_per_set_of_versions(agenda_meeting, role_users) -> None:
    meeting = agenda_meeting["meeting"]
    user = role_users["member"]
    first, _ = _pack_for(user, meeting)
    again = pack_request(meeting=meeting, user=user)
    assert again.pk == first.pk and again.status == Pack.Status.DONE
    assert pack_build(pack_id=first.pk).attempts == 1  # not claimed again: not rebuilt
    replace(agenda_meeting["opinions"], role_users["clerk"], text_pdf("Ý kiến sửa", "Thêm"))
    second, reader = _pack_for(user, meeting)
    assert second.pk != first.pk and second.attempts == 1
    assert "Ý kiến sửa" in " ".join(p.extract_text() for p in reader.pages)
    # The older pack of the same reader is gone, row and file.
    assert list(Pack.objects.filter(meeting=meeting).values_list("pk", flat=True)) == [second.pk]
    assert not first.file.storage.exists(first.file.name)


def test_offered_on_the_page_in_the_zip_and_in_the_api(
    agenda_meeting, role_users, client_for, django_capture_on_commit_callbacks
) -> None:
    meeting = agenda_meeting["meeting"]
    client = client_for("member")
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("packs:state", args=[meeting.pk]) in page
    state = client.get(reverse("packs:state", args=[meeting.pk]), headers={"HX-Request": "true"})
    assert "Tải tài liệu họp trọn bộ (PDF)" in state.content.decode()
    assert reverse("packs:prepare", args=[meeting.pk]) in state.content.decode()
    # Not ready yet: the download answers with the state, and the ZIP has no pack.
    assert client.get(reverse("packs:download", args=[meeting.pk])).status_code == 409
    names = zipfile.ZipFile(
        io.BytesIO(_body(client.get(reverse("meetings:download_all", args=[meeting.pk]))))
    ).namelist()
    assert not any(name.endswith("tron-bo.pdf") for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        prepared = client.post(
            reverse("packs:prepare", args=[meeting.pk]), headers={"HX-Request": "true"}
        )
    pack = Pack.objects.get(meeting=meeting)
    assert pack.status == Pack.Status.DONE  # the test settings run the queue's tasks at once
    ready = client.get(reverse("packs:state", args=[meeting.pk]), headers={"HX-Request": "true"})
    html = ready.content.decode()
    assert reverse("packs:download", args=[meeting.pk]) in html
    assert f"{pack.pages} trang" in html and "Đã sẵn sàng" in html
    # The answer to the click was sent before the worker ran: "being prepared", polled.
    assert "Đang chuẩn bị" in prepared.content.decode()
    assert 'hx-trigger="every 3s"' in prepared.content.decode()
    response = client.get(reverse("packs:download", args=[meeting.pk]))
    body = _body(response)
    assert response["Content-Type"] == "application/pdf" and len(body) == pack.size
    assert len(PdfReader(io.BytesIO(body)).pages) == pack.pages
    part = client.get(reverse("packs:download", args=[meeting.pk]), headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and _body(part) == body[:100]
    archive = zipfile.ZipFile(
        io.BytesIO(_body(client.get(reverse("meetings:download_all", args=[meeting.pk]))))
    )
    packed = [name for name in archive.namelist() if name.endswith("tron-bo.pdf")]
    assert len(packed) == 1 and archive.read(packed[0]) == body


@pytest.mark.parametrize("role", ["anonymous", "other_unit"])
def test_who_may_not_see_the_meeting_gets_nothing(agenda_meeting, client_for, role) -> None:
    meeting = agenda_meeting["meeting"]
    client = client_for(role if role != "other_unit" else "admin")
    for name in ("packs:state", "packs:download"):
        response = client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code in (302, 404)
    assert client.post(reverse("packs:prepare", args=[meeting.pk])).status_code in (302, 404)
    assert not Pack.objects.exists()


def test_the_api_offers_it(agenda_meeting, role_users, django_capture_on_commit_callbacks) -> None:
    from django.test import Client

    from api.tests.conftest import make_api_clients, make_token_for

    meeting = agenda_meeting["meeting"]
    client: Client = make_api_clients(make_token_for(role_users))("member", "read")
    base = f"/api/v1/meetings/{meeting.pk}/pack"
    state = client.get(base)
    assert state.status_code == 200 and state.json()["status"] == "absent"
    early = client.get(base + ".pdf")
    assert early.status_code == 409 and early.json()["code"] == "not_ready"
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(base)
    assert asked.status_code == 202
    ready = client.get(base).json()
    pack = Pack.objects.get(meeting=meeting)
    assert ready["status"] == "done" and ready["pages"] == pack.pages
    assert ready["size"] == pack.size and ready["download_url"].endswith(base + ".pdf")
    response = client.get(base + ".pdf")
    body = _body(response)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(body)).pages) == pack.pages
    # Someone the meeting does not invite: 404 for all three.
    outsider = make_api_clients(make_token_for(role_users))("admin", "read")
    assert outsider.get(base).status_code == 404
    assert outsider.post(base).status_code == 404
    assert outsider.get(base + ".pdf").status_code == 404
