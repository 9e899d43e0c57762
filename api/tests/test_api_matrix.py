"""Every API endpoint against every role, each with its own token: the API allows what the pages
allow. Each row's expectations are the matching page's row in the authorisation matrix
(core/tests/test_authorisation_matrix.py), so the two cannot drift apart: a page's 200 is the
API's success, its 403 and 404 are the API's, and its sign-in redirect is the API's 401 (no token).
On top of that: an uninvited account's token finds nothing (404), a non-organiser's write is a 403,
a read-only token's write is a 403. What changed in the database is checked too."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import ROLES
from core.tests.test_authorisation_matrix import MATRIX as PAGES
from documents.models import Document
from meetings.models import Invitation, Meeting
from meetings.tests.factories import pdf_bytes

from .test_flow import _meeting_body


def like_page(page: str, *, ok: int = 200) -> dict[str, int]:
    """The page's outcome per role, as the API answers it."""
    outcomes = {}
    for role, outcome in PAGES[page][1].items():
        if role == "anonymous":
            outcomes[role] = 401
        elif outcome == 200:
            outcomes[role] = ok
        elif outcome in (403, 404):
            outcomes[role] = outcome
        else:
            raise AssertionError(f"{page}: no API outcome for the page's {outcome!r} ({role})")
    return outcomes


EVERY_ACCOUNT = {role: (401 if role == "anonymous" else 200) for role in ROLES}

Url = Callable[[dict[str, Any]], str]


def _m(key: str, tail: str = "") -> Url:
    return lambda f: f"/api/v1/meetings/{f[key].pk}{tail}"


def _download(key: str) -> Url:
    return lambda f: f"/api/v1/documents/{f[key].pk}/download"


# name -> (url, expected per role)
READS: dict[str, tuple[Url, dict[str, int]]] = {
    "me": (lambda f: "/api/v1/me", EVERY_ACCOUNT),
    "calendar": (lambda f: "/api/v1/calendar.ics", EVERY_ACCOUNT),
    "meeting_list": (lambda f: "/api/v1/meetings", like_page("meetings:list")),
    # A meeting's page shows its invitees and its documents' list.
    "meeting_detail": (_m("published"), like_page("meetings:detail")),
    "meeting_detail#draft": (_m("draft"), like_page("meetings:detail#draft")),
    "meeting_invitees": (_m("published", "/invitees"), like_page("meetings:detail")),
    "meeting_invitees#draft": (_m("draft", "/invitees"), like_page("meetings:detail#draft")),
    "meeting_calendar": (_m("published", "/calendar.ics"), like_page("meetings:detail")),
    "meeting_documents": (_m("published", "/documents"), like_page("meetings:detail")),
    "meeting_documents#draft": (_m("draft", "/documents"), like_page("meetings:detail#draft")),
    "document_download": (_download("document"), like_page("documents:download")),
    "document_download#draft": (
        _download("draft_document"),
        like_page("documents:download#draft"),
    ),
    # The meeting pack: its state as the page's; its PDF, not asked for yet, a 409 as the page's.
    "meeting_pack": (_m("published", "/pack"), like_page("packs:state")),
    "meeting_pack#draft": (_m("draft", "/pack"), like_page("packs:state#draft")),
    "meeting_pack_download": (
        _m("published", "/pack.pdf"),
        like_page("packs:state", ok=409),
    ),
    "meeting_pack_download#draft": (
        _m("draft", "/pack.pdf"),
        like_page("packs:state#draft", ok=409),
    ),
}


@pytest.fixture
def fixtures(meetings) -> dict[str, Any]:
    return meetings


# ---- writes: each with what it should change ------------------------------------------------
def _create(client, f) -> Any:
    return client.post(
        "/api/v1/meetings", _meeting_body(f["office"]), content_type="application/json"
    )


def _invite(key: str) -> Callable[..., Any]:
    def call(client, f) -> Any:
        return client.post(
            f"/api/v1/meetings/{f[key].pk}/invitees",
            {"units": [f["other_department"].pk]},
            content_type="application/json",
        )

    return call


def _upload(key: str) -> Callable[..., Any]:
    def call(client, f) -> Any:
        upload = SimpleUploadedFile("Phụ lục số liệu.pdf", pdf_bytes("phu luc"))
        return client.post(f"/api/v1/meetings/{f[key].pk}/documents", {"file": upload})

    return call


def _publish(key: str) -> Callable[..., Any]:
    def call(client, f) -> Any:
        return client.post(
            f"/api/v1/meetings/{f[key].pk}/publish", {}, content_type="application/json"
        )

    return call


def _meetings(f) -> int:
    return Meeting.objects.count()


def _other_invited(key: str) -> Callable[[dict[str, Any]], int]:
    return lambda f: Invitation.objects.filter(meeting=f[key], unit=f["other_department"]).count()


def _documents(key: str) -> Callable[[dict[str, Any]], int]:
    return lambda f: Document.objects.filter(meeting=f[key]).count()


def _published(key: str) -> Callable[[dict[str, Any]], int]:
    return lambda f: int(Meeting.objects.get(pk=f[key].pk).status == "published")


# name -> (call, counter, expected per role); a success adds one to the counter, else nothing.
WRITES: dict[str, tuple[Callable[..., Any], Callable[[dict[str, Any]], int], dict[str, int]]] = {
    "meeting_create": (_create, _meetings, like_page("meetings:create", ok=201)),
    # Invitees are changed on the meeting's edit page.
    "meeting_invite": (
        _invite("published"),
        _other_invited("published"),
        like_page("meetings:edit"),
    ),
    "meeting_invite#draft": (
        _invite("draft"),
        _other_invited("draft"),
        like_page("meetings:edit#draft"),
    ),
    "meeting_document_add": (
        _upload("published"),
        _documents("published"),
        like_page("meetings:add_documents", ok=201),
    ),
    "meeting_document_add#draft": (
        _upload("draft"),
        _documents("draft"),
        like_page("meetings:add_documents#draft", ok=201),
    ),
    "meeting_publish#draft": (
        _publish("draft"),
        _published("draft"),
        like_page("meetings:publish"),
    ),
}


def test_the_roles_named_by_the_regulation() -> None:
    """Whatever the pages' rows become, these hold: the uninvited unit sees nothing of the
    meeting, and the invitees (members, the unit's leader and clerk, the secretary) change
    nothing."""
    for name in ["meeting_detail", "meeting_invitees", "meeting_documents", "document_download"]:
        assert READS[name][1]["outsider"] == 404, name
        assert READS[name][1]["member"] == 200, name
    for name, (_, _, expected) in WRITES.items():
        for role in ["member", "unit_clerk", "unit_leader", "secretary"]:
            assert expected[role] in (403, 404), (name, role)
        assert expected["clerk"] in (200, 201), name


@pytest.fixture
def write_fixtures(meetings, office, other_department) -> dict[str, Any]:
    return {**meetings, "office": office, "other_department": other_department}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(WRITES))
def test_writes(name: str, role: str, api_client, write_fixtures) -> None:
    call, counter, expected = WRITES[name]
    before = counter(write_fixtures)
    response = call(api_client(role, "write"), write_fixtures)
    assert response.status_code == expected[role], f"{name} {role} -> {response.content!r}"
    if response.status_code in (200, 201):
        assert counter(write_fixtures) == before + 1
    else:
        assert counter(write_fixtures) == before
        assert response.json()["code"] in {"unauthenticated", "forbidden", "not_found"}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_read_token_never_writes(name: str, role: str, api_client, write_fixtures) -> None:
    call, counter, _ = WRITES[name]
    before = counter(write_fixtures)
    response = call(api_client(role, "read"), write_fixtures)
    assert response.status_code == 403
    assert response.json()["code"] == "scope"
    assert counter(write_fixtures) == before


def test_publishing_twice_is_a_conflict(api_client, write_fixtures) -> None:
    response = _publish("published")(api_client("clerk"), write_fixtures)
    assert response.status_code == 409


@pytest.mark.parametrize(
    "role,status",
    [("member", 403), ("unit_clerk", 403), ("secretary", 403), ("outsider", 404)],
)
def test_publishing_a_published_meeting_as_somebody_else(
    role, status, api_client, write_fixtures
) -> None:
    response = _publish("published")(api_client(role), write_fixtures)
    assert response.status_code == status
