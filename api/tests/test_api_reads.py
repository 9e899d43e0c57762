"""The API's reads against every role, each with its own token (the rows are test_api_matrix's
READS): the role users and their meetings are made once for the module, as the reads change
nothing that outlives their test (a download's row is rolled back with it). Apart from the
writes' module, whose tests make their own users and meetings."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conftest import (
    ROLES,
    make_department,
    make_meetings,
    make_office,
    make_other_department,
    make_role_users,
    rows_for_module,
)
from core.tests.test_authorisation_matrix import MATRIX as PAGES
from documents.models import Download

from .conftest import make_api_clients, make_token_for
from .test_api_matrix import READS


@pytest.fixture(scope="module")
def _shared(django_db_setup, django_db_blocker) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """The role users and their meetings, made once for the module's reads, which change nothing
    that outlives their test (a download's row is rolled back with it)."""
    with rows_for_module(django_db_blocker):
        users = make_role_users(make_office(), make_department(), make_other_department())
        yield users, make_meetings(users, users["member"].unit)


@pytest.fixture
def shared_api_client(db, _shared) -> Callable[..., Any]:
    return make_api_clients(make_token_for(_shared[0]))


@pytest.fixture
def shared_fixtures(db, _shared) -> dict[str, Any]:
    return _shared[1]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(READS))
def test_reads(name: str, role: str, shared_api_client, shared_fixtures) -> None:
    api_client, fixtures = shared_api_client, shared_fixtures
    build, expected = READS[name]
    url = build(fixtures)
    downloads = Download.objects.count()
    response = api_client(role, "read").get(url)
    assert response.status_code == expected[role], f"{url} {role} -> {response.status_code}"
    if response.status_code != 200:
        # not_ready: the meeting pack, not asked for yet (packs/).
        assert response.json()["code"] in {"unauthenticated", "not_found", "not_ready"}
        assert Download.objects.count() == downloads
        return
    if name.startswith("meeting_detail"):
        assert response.json()["id"] == fixtures[name.partition("#")[2] or "published"].pk
    elif name.startswith("document_download"):
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert Download.objects.count() == downloads + 1
    elif name.startswith("meeting_documents"):
        assert response.json()[0]["id"] in {
            fixtures["document"].pk,
            fixtures["draft_document"].pk,
        }
    elif name.endswith("calendar"):
        assert response["Content-Type"].startswith("text/calendar")


@pytest.mark.parametrize("role", ROLES)
def test_list_holds_what_the_role_may_see(role: str, shared_api_client, shared_fixtures) -> None:
    api_client, fixtures = shared_api_client, shared_fixtures
    response = api_client(role, "read").get("/api/v1/meetings")
    if role == "anonymous":
        assert response.status_code == 401
        return
    ids = {m["id"] for m in response.json()["items"]}
    assert (fixtures["published"].pk in ids) == (PAGES["meetings:detail"][1][role] == 200)
    assert (fixtures["draft"].pk in ids) == (PAGES["meetings:detail#draft"][1][role] == 200)
