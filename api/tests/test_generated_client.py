"""The API as an integrator meets it: a Python client generated from the OpenAPI description by
openapi-python-client, with the configuration docs/api.md gives (api/openapi-python-client.yaml),
has ASCII module and function names, imports, and against the running app (a live server) lists a
unit's meetings as typed objects and downloads a document's bytes unchanged. The client is
generated once for the module (a second or two)."""

import hashlib
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings

from api.services import token_create
from api.v1 import api
from conftest import (
    make_department,
    make_meetings,
    make_office,
    make_other_department,
    make_role_users,
)

PACKAGE = "hopkhonggiay_api_client"
CONFIG = Path(settings.BASE_DIR) / "api" / "openapi-python-client.yaml"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Iterator[Path]:
    """The client's project folder, generated from the description /api/v1/openapi.json serves."""
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "openapi.json"
    schema.write_text(json.dumps(api.get_openapi_schema(path_params={}), ensure_ascii=False))
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(schema),
            "--config",
            str(CONFIG),
            "--output-path",
            str(folder / "project"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Every operation made it into the client: nothing skipped with a warning.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    yield folder / "project"


@pytest.fixture(scope="module")
def package(generated) -> Iterator[ModuleType]:
    sys.path.insert(0, str(generated))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(generated))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_the_client_is_named_in_ascii_after_the_tags_and_operation_ids(generated) -> None:
    modules = sorted(
        path.relative_to(generated / PACKAGE / "api").as_posix()
        for path in (generated / PACKAGE / "api").glob("*/*.py")
        if path.name != "__init__.py"
    )
    assert modules == [
        "account/get_account.py",
        "account/get_account_calendar.py",
        "documents/add_document.py",
        "documents/download_document.py",
        "documents/download_meeting_pack.py",
        "documents/get_meeting_pack.py",
        "documents/list_documents.py",
        "documents/prepare_meeting_pack.py",
        "meetings/add_invitees.py",
        "meetings/create_meeting.py",
        "meetings/get_meeting.py",
        "meetings/get_meeting_calendar.py",
        "meetings/list_invitees.py",
        "meetings/list_meetings.py",
        "meetings/publish_meeting.py",
    ]
    # The Vietnamese summaries stay, as the functions' documentation.
    source = (generated / PACKAGE / "api" / "meetings" / "list_meetings.py").read_text()
    assert "Cuộc họp của tài khoản" in source


@pytest.mark.django_db(transaction=True)
def test_a_units_read_token_lists_its_meetings_and_downloads_a_document(
    package, live_server
) -> None:
    from hopkhonggiay_api_client import AuthenticatedClient
    from hopkhonggiay_api_client.api.documents import download_document, list_documents
    from hopkhonggiay_api_client.api.meetings import get_meeting, list_meetings
    from hopkhonggiay_api_client.models import DocumentOut, MeetingOut, MeetingPageOut

    users = make_role_users(make_office(), make_department(), make_other_department())
    rows = make_meetings(users, users["unit_clerk"].unit)
    _, token = token_create(
        owner=users["unit_clerk"], name="Hệ thống văn bản", scope="read", days=30
    )
    # Closed at the end (its keep-alive connection with it), so that no request thread of the
    # live server outlives the test.
    with AuthenticatedClient(
        base_url=live_server.url, token=token, raise_on_unexpected_status=True
    ) as client:
        page = list_meetings.sync(client=client)
        assert isinstance(page, MeetingPageOut)
        # The unit sees the published meeting it is invited to, never the office's draft.
        assert [(m.id, m.title) for m in page.items] == [
            (rows["published"].pk, "Họp bàn kế hoạch năm")
        ]
        meeting = get_meeting.sync(client=client, meeting_id=rows["published"].pk)
        assert isinstance(meeting, MeetingOut)
        assert meeting.start_at.utcoffset() is not None

        documents = list_documents.sync(client=client, meeting_id=rows["published"].pk)
        assert [type(d) for d in documents] == [DocumentOut]
        assert documents[0].id == rows["document"].pk
        downloaded = download_document.sync(client=client, document_id=documents[0].id)
        data = downloaded.payload.read()
    version = rows["document"].current
    with version.file.open("rb") as stored:
        assert hashlib.sha256(data).hexdigest() == hashlib.sha256(stored.read()).hexdigest()
    assert hashlib.sha256(data).hexdigest() == documents[0].sha256 == version.sha256
