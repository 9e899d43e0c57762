"""The server's side of reading offline: the keep-list per role, restricted documents kept only
stamped and only where allowed, the days after the meeting, the check after reconnecting, the
idempotent note, the sign-out that clears the device, the manifest and the service worker."""

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import (
    ROLES,
    make_clients,
    make_department,
    make_meetings,
    make_office,
    make_other_department,
    make_role_users,
    rows_for_module,
)
from documents.services import Metadata, document_add
from meetings.models import Meeting
from meetings.tests.factories import pdf_bytes
from notes.models import Note
from offline.selectors import account_key

READERS = ["member", "unit_clerk", "unit_leader", "secretary", "clerk"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """The role users, the office's meetings and three restricted documents on the published
    meeting: one allowed offline, one not, one allowed for the department's leader only."""
    with rows_for_module(django_db_blocker):
        users = make_role_users(make_office(), make_department(), make_other_department())
        meetings = make_meetings(users, users["member"].unit)
        published = meetings["published"]
        clerk = users["clerk"]

        def restricted(name: str, allow_offline: bool, audience: list | None = None) -> Any:
            return document_add(
                meeting=published,
                by=clerk,
                uploaded=SimpleUploadedFile(name, pdf_bytes(name)),
                metadata=Metadata(
                    restricted=True, allow_offline=allow_offline, audience=audience or []
                ),
            )

        leader_invitation = published.invitations.get(unit=users["unit_leader"].unit)
        yield {
            "users": users,
            "meetings": meetings,
            "allowed": restricted("Hạn chế được lưu.pdf", True),
            "refused": restricted("Hạn chế không lưu.pdf", False),
            "leaders": restricted("Chỉ lãnh đạo.pdf", True, [leader_invitation]),
            "client_for": make_clients(users),
        }


def _get(world: dict[str, Any], role: str, url: str) -> Any:
    client: Client = world["client_for"](role)
    return client.get(url)


def _keep_list(world: dict[str, Any], role: str, meeting: Meeting | None = None) -> Any:
    meeting = meeting or world["meetings"]["published"]
    return _get(world, role, reverse("offline:keep_list", args=[meeting.pk]))


@pytest.mark.parametrize("role", ROLES)
def test_keep_list_follows_the_meetings_rule(db, world, role) -> None:
    response = _keep_list(world, role)
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
        return
    if role in ("admin", "outsider"):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    data = response.json()
    published = world["meetings"]["published"]
    assert data["meeting"] == published.pk
    assert data["page"] == reverse("meetings:detail", args=[published.pk])
    document = world["meetings"]["document"]
    open_entry = next(d for d in data["documents"] if d["id"] == document.pk)
    # The current version only, read through the viewer's PDF (Range), not stamped.
    assert open_entry["version"] == document.current_id
    assert open_entry["versionNumber"] == 2
    assert open_entry["pdf"] == reverse("viewer:pdf", args=[document.current_id])
    assert open_entry["source"] == open_entry["pdf"]
    assert open_entry["stamped"] is False
    assert open_entry["viewer"] == reverse("viewer:document", args=[document.pk])
    assert open_entry["notes"] == reverse("notes:document", args=[document.pk])


@pytest.mark.parametrize("role", READERS)
def test_restricted_documents_are_kept_stamped_and_only_where_allowed(db, world, role) -> None:
    data = _keep_list(world, role).json()
    kept = {d["id"]: d for d in data["documents"]}
    withheld = {d["id"]: d for d in data["withheld"]}
    allowed, refused, leaders = world["allowed"], world["refused"], world["leaders"]
    # Not allowed offline: nobody keeps it, the organiser included; the reason is given.
    assert refused.pk not in kept
    if role == "member":
        # The department's member does not read restricted documents at all: not even named.
        assert allowed.pk not in kept and allowed.pk not in withheld
        assert refused.pk not in withheld
        assert leaders.pk not in kept and leaders.pk not in withheld
        return
    assert "không cho phép" in withheld[refused.pk]["reason"]
    entry = kept[allowed.pk]
    assert entry["stamped"] is True
    # What leaves the server is the copy stamped for this reader, whatever the viewer reads.
    assert entry["source"] == reverse("documents:watermarked_pdf", args=[allowed.current_id])
    if role == "clerk":
        assert entry["pdf"] == reverse("viewer:pdf", args=[allowed.current_id])
    else:
        assert entry["pdf"] == entry["source"]
    # An audience of the leader's invitation: the department's accounts read it (they answer
    # for that invitation), the organiser side too.
    assert leaders.pk in kept
    assert kept[leaders.pk]["source"].endswith("dau-chim.pdf")


def test_the_stamped_source_is_stamped_for_the_reader(db, world) -> None:
    data = _keep_list(world, "unit_leader").json()
    entry = next(d for d in data["documents"] if d["id"] == world["allowed"].pk)
    response = _get(world, "unit_leader", entry["source"])
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert world["users"]["unit_leader"].get_full_name() in text or "leader1" in text


def test_a_draft_is_the_organisers_only(db, world) -> None:
    draft = world["meetings"]["draft"]
    assert _keep_list(world, "clerk", draft).status_code == 200
    for role in ("member", "unit_clerk", "secretary"):
        assert _keep_list(world, role, draft).status_code == 404


def test_keeping_ends_days_after_the_meeting(db, world, settings) -> None:
    settings.OFFLINE_KEEP_DAYS = 7
    published = world["meetings"]["published"]
    data = _keep_list(world, "unit_clerk").json()
    until = published.end_at + timedelta(days=7)
    assert data["keepUntilText"] == timezone.localtime(until).strftime("%d/%m/%Y")
    Meeting.objects.filter(pk=published.pk).update(
        start_at=timezone.now() - timedelta(days=8, hours=2),
        end_at=timezone.now() - timedelta(days=8),
    )
    response = _keep_list(world, "unit_clerk")
    assert response.status_code == 410
    assert "7 ngày" in response.json()["error"]
    check = _get(world, "unit_clerk", reverse("offline:check") + f"?cuoc-hop={published.pk}")
    assert check.json() == {"keep": [], "drop": [published.pk]}
    settings.OFFLINE_KEEP_DAYS = 9
    assert _keep_list(world, "unit_clerk").status_code == 200
    check = _get(world, "unit_clerk", reverse("offline:check") + f"?cuoc-hop={published.pk}")
    assert check.json() == {"keep": [published.pk], "drop": []}


def test_the_check_answers_what_may_still_be_kept(db, world) -> None:
    published = world["meetings"]["published"]
    draft = world["meetings"]["draft"]
    ids = f"{published.pk},{draft.pk},999999"
    url = reverse("offline:check") + f"?cuoc-hop={ids}"
    assert _get(world, "unit_clerk", url).json() == {
        "keep": [published.pk],
        "drop": sorted([draft.pk, 999999]),
    }
    assert _get(world, "clerk", url).json()["keep"] == sorted([published.pk, draft.pk])
    assert _get(world, "outsider", url).json()["keep"] == []
    # Access lost: the meeting deleted (marked), the device is told to drop it.
    Meeting.objects.filter(pk=published.pk).update(deleted_at=timezone.now())
    assert _get(world, "unit_clerk", url).json()["keep"] == []


@pytest.mark.parametrize("value", ["1,abc", "-1", "1;2", "9" * 20, ",".join(["1"] * 201)])
def test_the_check_refuses_bad_lists_with_a_message(db, world, value) -> None:
    response = _get(world, "unit_clerk", reverse("offline:check") + "?cuoc-hop=" + value)
    assert response.status_code == 400
    assert response.json()["error"]


def test_the_check_needs_no_list(db, world) -> None:
    response = _get(world, "member", reverse("offline:check"))
    assert response.json() == {"keep": [], "drop": []}


def test_a_note_sent_twice_is_saved_once(db, world) -> None:
    member = world["users"]["member"]
    document = world["meetings"]["document"]
    client = world["client_for"]("member")
    url = reverse("notes:document", args=[document.pk])
    body = {
        "kind": "pin",
        "page": 1,
        "rects": [[0.5, 0.5]],
        "text": "Ghi chú làm khi ngoại tuyến",
        "clientId": str(uuid.uuid4()),
    }
    first = client.post(url, json.dumps(body), content_type="application/json")
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["note"]["id"] == again.json()["note"]["id"]
    assert Note.objects.filter(author=member, client_id=body["clientId"]).count() == 1
    bad = client.post(
        url, json.dumps({**body, "clientId": "không-phải-mã"}), content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["error"] == "Mã ghi chú không hợp lệ."


def test_signing_out_clears_the_device(db, world) -> None:
    client = world["client_for"]("member")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_pages_say_whose_they_are_and_which_may_be_kept(db, world) -> None:
    member = world["users"]["member"]
    dashboard = _get(world, "member", reverse("portal:dashboard"))
    assert dashboard["X-Offline-Account"] == account_key(member)
    assert dashboard["X-Offline-Page"] == "1"
    assert f'data-offline-account="{account_key(member)}"' in dashboard.content.decode()
    meeting = _get(
        world, "member", reverse("meetings:detail", args=[world["meetings"]["published"].pk])
    )
    assert meeting["X-Offline-Page"] == "1"
    assert "Tải về để đọc ngoại tuyến" in meeting.content.decode()
    notes_list = _get(world, "member", reverse("calendars:week"))
    assert notes_list["X-Offline-Account"] == account_key(member)
    assert "X-Offline-Page" not in notes_list
    # Another account, another key; the anonymous are told nothing.
    assert account_key(world["users"]["clerk"]) != account_key(member)
    public = _get(world, "anonymous", reverse("portal:home"))
    assert (
        "X-Offline-Account" not in public and "data-offline-account" not in public.content.decode()
    )


def test_the_manifest_and_the_service_worker(db, world) -> None:
    manifest = _get(world, "anonymous", reverse("offline:manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["name"] and data["short_name"] == "Họp không giấy"
    assert data["start_url"] == reverse("portal:dashboard") and data["scope"] == "/"
    assert {i["sizes"] for i in data["icons"]} >= {"192x192", "512x512"}
    worker = _get(world, "anonymous", reverse("offline:service_worker"))
    assert reverse("offline:service_worker") == "/sw.js"
    assert worker["Service-Worker-Allowed"] == "/"
    assert worker["Content-Type"].startswith("application/javascript")
    text = worker.content.decode()
    assert "workbox-range-requests.prod.js" in text and "js/offline-sw.js" in text
    assert "http" not in text  # nothing from another site
    # The CSP, unchanged and without 'unsafe-inline', allows them ('self').
    assert "'unsafe-inline'" not in worker["Content-Security-Policy"]


def test_the_offline_flag_is_off_by_default_and_only_for_restricted_documents(db, world) -> None:
    from documents.models import Document
    from documents.services import document_update

    clerk = world["users"]["clerk"]
    # Fresh rows: the module's shared objects stay as they were made.
    document = Document.objects.get(pk=world["meetings"]["document"].pk)
    assert document.allow_offline is False
    document_update(document=document, by=clerk, data={"allow_offline": True})
    document.refresh_from_db()
    assert document.allow_offline is False  # an open document has nothing to allow
    allowed = Document.objects.get(pk=world["allowed"].pk)
    assert allowed.allow_offline is True
    document_update(document=allowed, by=clerk, data={"allow_offline": False})
    allowed.refresh_from_db()
    assert allowed.allow_offline is False
    entry = next(
        d for d in _keep_list(world, "unit_leader").json()["withheld"] if d["id"] == allowed.pk
    )
    assert "không cho phép" in entry["reason"]


# ---- the meeting pack kept as one file ------------------------------------------------------


def _whole(world: dict[str, Any], role: str) -> dict[str, Any]:
    return _keep_list(world, role).json()["meetingPack"]


def test_the_keep_list_offers_the_readers_pack_once_it_is_ready(db, world) -> None:
    from packs.models import Pack
    from packs.services import pack_build, pack_request

    published = world["meetings"]["published"]
    whole = _whole(world, "member")
    # Not asked for yet: where to ask for it, read it and download it.
    assert whole["state"] == "absent" and whole["size"] is None
    assert whole["prepareUrl"] == reverse("packs:prepare", args=[published.pk])
    assert whole["url"] == reverse("packs:download", args=[published.pk])
    assert whole["viewer"] == reverse("offline:pack_reader", args=[published.pk])
    reader_page = _get(world, "member", whole["viewer"]).content.decode()
    assert "Tài liệu họp trọn bộ chưa sẵn sàng." in reader_page
    assert 'id="viewer"' not in reader_page

    pack = pack_request(meeting=published, user=world["users"]["member"])
    assert _whole(world, "member")["state"] == "waiting"
    built = pack_build(pack_id=pack.pk)
    assert built is not None and built.status == Pack.Status.DONE, built and built.error
    whole = _whole(world, "member")
    assert whole["state"] == "ready" and whole["key"] == built.key
    assert (whole["size"], whole["pages"]) == (built.size, built.pages)
    # The reading page reads the kept address in the viewer, in ranges.
    reader_page = _get(world, "member", whole["viewer"]).content.decode()
    assert f'data-pdf-url="{whole["url"]}"' in reader_page
    assert 'data-range="true"' in reader_page and "js/viewer.js" in reader_page


def test_a_pack_holding_a_restricted_document_not_allowed_offline_is_not_kept(db, world) -> None:
    refused = world["refused"]
    # The organiser side's pack holds it, stamped: the file goes with it, so it stays.
    whole = _whole(world, "clerk")
    assert whole["state"] == "withheld"
    assert refused.title in whole["reason"] and "không cho phép" in whole["reason"]
    # Only the restricted documents in the pack that refuse offline reading are named.
    assert world["allowed"].title not in whole["reason"]
    page = _get(world, "clerk", whole["viewer"]).content.decode()
    assert refused.title in page and 'id="viewer"' not in page
    # The department's leader reads the restricted documents online only: the pack lists them
    # without their pages, so it holds nothing the organisers keep off the device.
    assert _whole(world, "unit_leader")["state"] == "absent"
    # Allowed again: the organiser side's pack may be kept.
    from documents.models import Document

    Document.objects.filter(pk=refused.pk).update(allow_offline=True)
    assert _whole(world, "clerk")["state"] == "absent"


def test_a_failed_pack_and_a_meeting_without_documents_say_why(db, world) -> None:
    from documents.models import Document
    from packs.models import Pack
    from packs.services import pack_request

    published = world["meetings"]["published"]
    pack = pack_request(meeting=published, user=world["users"]["member"])
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.FAILED)
    whole = _whole(world, "member")
    assert whole["state"] == "failed" and "lưu từng tài liệu" in whole["reason"]
    Document.objects.filter(meeting=published).update(deleted_at=timezone.now())
    whole = _whole(world, "member")
    assert whole["state"] == "empty" and "chưa có tài liệu" in whole["reason"]


def test_the_pack_reader_follows_the_packs_rule(db, world) -> None:
    url = reverse("offline:pack_reader", args=[world["meetings"]["published"].pk])
    assert _get(world, "anonymous", url).status_code == 302
    assert _get(world, "outsider", url).status_code == 404
    assert _get(world, "member", url).status_code == 200
    draft = reverse("offline:pack_reader", args=[world["meetings"]["draft"].pk])
    assert _get(world, "member", draft).status_code == 404
    assert _get(world, "clerk", draft).status_code == 200
