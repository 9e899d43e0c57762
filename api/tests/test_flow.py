"""The organiser's whole flow through the API, read back by an invitee with a ranged download;
the regulation's rules; and bad input answered with a message, never a server error."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalogs.models import Location
from documents.models import Document, Download
from meetings.models import Invitation, Meeting, MeetingChange, Receipt
from meetings.tests.factories import catalog, make_meeting, pdf_bytes

FILE_NAME = "Tờ trình số 12 – Kế hoạch chuyển đổi số.pdf"


def _meeting_body(unit, *, days: int = 10, **extra) -> dict:
    start = (timezone.localtime() + timedelta(days=days)).replace(
        hour=8, minute=30, second=0, microsecond=0
    )
    entries = catalog()
    location, _ = Location.objects.get_or_create(
        unit=unit, name="Phòng họp số 1", defaults={"capacity": 40}
    )
    return {
        "title": "Họp triển khai kế hoạch chuyển đổi số",
        "agenda": "Thảo luận dự thảo kế hoạch năm.",
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=2)).isoformat(),
        "type": entries["type"].pk,
        "form": entries["form"].pk,
        "location": location.pk,
        **extra,
    }


def test_organiser_flow_then_an_invitee_reads_it(api_client, role_users, department, office):
    clerk = api_client("clerk")
    # 1. A draft.
    response = clerk.post(
        "/api/v1/meetings", _meeting_body(office), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    meeting = Meeting.objects.get(pk=created["id"])
    assert meeting.status == Meeting.Status.DRAFT and created["status"] == "draft"
    assert meeting.created_by == role_users["clerk"] and meeting.organiser_unit == office
    assert timezone.localtime(meeting.start_at).strftime("%H:%M") == "08:30"
    assert meeting.changes.filter(kind=MeetingChange.Kind.CREATED).exists()
    # The same request again (a client's retry) does not make a second meeting.
    again = clerk.post("/api/v1/meetings", _meeting_body(office), content_type="application/json")
    assert again.json()["id"] == meeting.pk
    assert Meeting.objects.count() == 1

    # 2. Invitees.
    response = clerk.post(
        f"/api/v1/meetings/{meeting.pk}/invitees",
        {"units": [department.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [(i["kind"], i["invitee_id"]) for i in response.json()] == [("unit", department.pk)]
    assert Invitation.objects.filter(meeting=meeting, unit=department).exists()

    # 3. A document with a Vietnamese name.
    content = pdf_bytes("Ke hoach chuyen doi so", pad=4000)
    response = clerk.post(
        f"/api/v1/meetings/{meeting.pk}/documents",
        {"file": SimpleUploadedFile(FILE_NAME, content, content_type="application/pdf")},
    )
    assert response.status_code == 201, response.content
    document = Document.objects.get(meeting=meeting)
    assert response.json()["file_name"] == FILE_NAME
    assert document.current.original_name == FILE_NAME
    assert document.current.size == len(content)

    # 4. Publish.
    response = clerk.post(
        f"/api/v1/meetings/{meeting.pk}/publish", {}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED and response.json()["status"] == "published"

    # Each write is in the audit log with the clerk and the token's prefix.
    prefix = role_users["clerk"].access_tokens.get().prefix
    events = set(
        LogEntry.objects.filter(
            additional_data__token=prefix, actor=role_users["clerk"]
        ).values_list("additional_data__event", flat=True)
    )
    assert {
        "api_meeting_created",
        "api_invitees_added",
        "api_document_added",
        "api_meeting_published",
    } <= events

    # 5. An invitee of the department reads it back.
    member = api_client("member", "read")
    listed = member.get("/api/v1/meetings").json()
    assert meeting.pk in [m["id"] for m in listed["items"]]
    detail = member.get(f"/api/v1/meetings/{meeting.pk}")
    assert detail.status_code == 200 and detail.json()["title"] == meeting.title
    assert Receipt.objects.filter(meeting=meeting, user=role_users["member"]).exists()
    documents = member.get(f"/api/v1/meetings/{meeting.pk}/documents").json()
    assert [d["id"] for d in documents] == [document.pk]
    url = documents[0]["download_url"].split("://", 1)[1].split("/", 1)[1]

    # 6. A ranged download: 206 with exactly those bytes, recorded once for the receipts.
    first = member.get("/" + url, HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206
    assert b"".join(first.streaming_content) == content[0:100]
    assert first["Content-Range"] == f"bytes 0-99/{len(content)}"
    later = member.get("/" + url, HTTP_RANGE="bytes=1000-1499")
    assert later.status_code == 206
    assert b"".join(later.streaming_content) == content[1000:1500]
    assert Download.objects.filter(document=document, user=role_users["member"]).count() == 1
    whole = member.get("/" + url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == content
    assert Download.objects.filter(document=document, user=role_users["member"]).count() == 2
    assert (
        LogEntry.objects.filter(
            actor=role_users["member"], additional_data__event="api_document_downloaded"
        ).count()
        == 2
    )
    past_end = member.get("/" + url, HTTP_RANGE=f"bytes={len(content) + 10}-")
    assert past_end.status_code == 416

    # 7. Its calendar entry.
    ics = member.get(f"/api/v1/meetings/{meeting.pk}/calendar.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content
    assert b"BEGIN:VEVENT" in member.get("/api/v1/calendar.ics").content


def test_late_publication_needs_its_reason(api_client, role_users, department):
    meeting = make_meeting(by=role_users["clerk"], days_ahead=1, units=[department])
    clerk = api_client("clerk")
    url = f"/api/v1/meetings/{meeting.pk}/publish"
    response = clerk.post(url, {}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "late" and body["errors"]["late_reason"]
    assert "phát hành trước" in body["message"]
    meeting.refresh_from_db()
    assert meeting.is_draft
    response = clerk.post(
        url, {"late_reason": "Chỉ đạo đột xuất của UBND tỉnh"}, content_type="application/json"
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.late_reason == "Chỉ đạo đột xuất của UBND tỉnh"
    # Published already: a conflict, not a second publication.
    response = clerk.post(url, {"late_reason": "x"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "not_draft"
    assert meeting.changes.filter(kind=MeetingChange.Kind.PUBLISHED).count() == 1


def test_publishing_without_invitees_is_refused(api_client, role_users):
    meeting = make_meeting(by=role_users["clerk"])
    response = api_client("clerk").post(
        f"/api/v1/meetings/{meeting.pk}/publish", {}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "no_invitees"


# ---- bad input: 400 or 422 with a message, never 500 -------------------------------------------


def _assert_refused(response, field: str | None = None, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["message"]
    if field:
        assert body["errors"][field], body
    return body


def test_a_wrong_file_type_is_refused(api_client, role_users):
    meeting = make_meeting(by=role_users["clerk"])
    client = api_client("clerk")
    url = f"/api/v1/meetings/{meeting.pk}/documents"
    for name, content in [
        ("chuong-trinh.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("Báo cáo.pdf", b"<html><script>alert(1)</script></html>"),
        ("rong.pdf", b""),
    ]:
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
        _assert_refused(response, "file")
    _assert_refused(client.post(url, {}), "file")
    assert not Document.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("title", "<script>alert('xss')</script>Họp"),
        ("agenda", "Nội dung <img src=x onerror=alert(1)>"),
        ("title", ""),
        ("title", "x" * 501),
        ("start_at", "9999-12-31T08:00:00"),
        ("start_at", "0001-01-01T08:00:00"),
        ("start_at", "ngày mai"),
        ("type", 10**30),
        ("type", 999_999),
        ("units", [10**12]),
        ("units", "STC"),
        ("online_link", "javascript:alert(1)"),
    ],
)
def test_bad_meeting_input(api_client, office, field, value):
    body = _meeting_body(office, **{field: value})
    response = api_client("clerk").post("/api/v1/meetings", body, content_type="application/json")
    _assert_refused(response, field)
    assert not Meeting.objects.exists()


def test_a_past_start_and_a_backwards_end(api_client, office):
    client = api_client("clerk")
    body = _meeting_body(office, days=-3)
    _assert_refused(client.post("/api/v1/meetings", body, content_type="application/json"))
    body = _meeting_body(office)
    body["end_at"] = body["start_at"]
    response = client.post("/api/v1/meetings", body, content_type="application/json")
    _assert_refused(response, "end_at")
    assert not Meeting.objects.exists()


def test_malformed_json(api_client):
    client = api_client("clerk")
    for raw in ["{", "[]", "null", '"chuỗi"', '{"title": 1e999999}']:
        response = client.post("/api/v1/meetings", raw, content_type="application/json")
        _assert_refused(response)
    body = _assert_refused(client.post("/api/v1/meetings", "{", content_type="application/json"))
    assert body["code"] == "malformed" and "JSON" in body["message"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "query,field",
    [
        ("limit=1000000000000", "limit"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("offset=99999999999999999999", "offset"),
        ("date_from=0001-01-01", "date_from"),
        ("date_to=9999-12-31", "date_to"),
        ("date_from=2025-13-45", "date_from"),
        ("date_from=2025-05-10&date_to=2025-05-01", "date_to"),
        ("q=" + "a" * 201, "q"),
        ("q=%3Cscript%3Ealert(1)%3C/script%3E", "q"),
        ("status=dang-hop", "status"),
    ],
)
def test_bad_list_filters(api_client, role_users, query, field):
    _assert_refused(api_client("member").get(f"/api/v1/meetings?{query}"), field)


def test_list_filters_and_pages(api_client, role_users, department):
    clerk = role_users["clerk"]
    meetings = [
        make_meeting(by=clerk, title=f"Họp số {n}", days_ahead=n, units=[department])
        for n in range(2, 7)
    ]
    client = api_client("clerk", "read")
    page = client.get("/api/v1/meetings?limit=2").json()
    assert [m["id"] for m in page["items"]] == [meetings[4].pk, meetings[3].pk]
    assert page["next_offset"] == 2
    rest = client.get("/api/v1/meetings?limit=2&offset=4").json()
    assert [m["id"] for m in rest["items"]] == [meetings[0].pk] and rest["next_offset"] is None
    day = timezone.localdate(meetings[2].start_at).isoformat()
    one = client.get(f"/api/v1/meetings?date_from={day}&date_to={day}").json()
    assert [m["id"] for m in one["items"]] == [meetings[2].pk]
    found = client.get("/api/v1/meetings?q=hop so 3").json()
    assert meetings[1].pk in [m["id"] for m in found["items"]]


def test_bad_ids(api_client, role_users):
    client = api_client("clerk")
    _assert_refused(client.get("/api/v1/meetings/99999999999999999999"), "meeting_id")
    _assert_refused(client.get("/api/v1/meetings/abc"), "meeting_id")
    assert client.get("/api/v1/meetings/2147483647").status_code == 404
    body = _assert_refused(
        client.post("/api/v1/meetings/2147483647/invitees", {}, content_type="application/json"),
        status=404,
    )
    assert body["code"] == "not_found"


def test_unknown_invitee_ids(api_client, role_users):
    meeting = make_meeting(by=role_users["clerk"])
    response = api_client("clerk").post(
        f"/api/v1/meetings/{meeting.pk}/invitees",
        {"units": [999_999], "persons": [1]},
        content_type="application/json",
    )
    _assert_refused(response, "units")
    assert not meeting.invitations.exists()
