"""A private note leaves no trace for anybody but its author: not in the viewer's list, the
'Ghi chú của tôi' page, the exports, Django's admin, the audit log or the API's description."""

import pytest
from django.contrib import admin
from django.urls import reverse

from notes.models import Note
from notes.services import note_create

from .conftest import read_pdf_text

pytestmark = pytest.mark.django_db

SECRET = "Bí mật riêng: phương án nhân sự"
QUOTE = "đoạn trích riêng tư"


@pytest.fixture
def private_note(role_users, document):
    note, _ = note_create(
        by=role_users["member"],
        document=document,
        page=1,
        kind="highlight",
        rects=[[0.1, 0.1, 0.2, 0.02]],
        quote=QUOTE,
        text=SECRET,
    )
    return note


def _readers(client_for, login, colleague):
    clients = {
        role: client_for(role)
        for role in ("unit_clerk", "unit_leader", "secretary", "clerk", "admin", "outsider")
    }
    clients["colleague"] = login(colleague)
    return clients


def _no_trace(content: bytes) -> None:
    text = content.decode("utf-8", "replace")
    assert SECRET not in text and QUOTE not in text


def test_nobody_else_reads_a_private_note(client_for, login, colleague, private_note, document):
    list_url = reverse("notes:document", args=[document.pk])
    for who, client in _readers(client_for, login, colleague).items():
        listed = client.get(list_url)
        if listed.status_code == 200:
            assert listed.json()["notes"] == [], who
        else:
            assert listed.status_code == 404, who
        _no_trace(listed.content)
        _no_trace(client.get(reverse("notes:mine")).content)
        _no_trace(client.get(reverse("notes:export_docx")).content)
        pdf = client.get(reverse("notes:export_pdf")).content
        assert SECRET not in read_pdf_text(pdf), who
        # Its own URLs answer as for a note that does not exist.
        update = reverse("notes:update", args=[private_note.pk])
        assert client.post(update, {"text": "x"}).status_code == 404, who
        assert client.post(reverse("notes:delete", args=[private_note.pk])).status_code == 404
    private_note.refresh_from_db()
    assert private_note.text == SECRET and private_note.deleted_at is None
    # And its author has it everywhere.
    member = client_for("member")
    assert SECRET in member.get(reverse("notes:mine")).content.decode()
    assert [n["text"] for n in member.get(list_url).json()["notes"]] == [SECRET]


def test_not_in_the_admin_nor_the_audit_log(client_for, private_note):
    from auditlog.models import LogEntry

    assert Note not in admin.site._registry
    client = client_for("admin")
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    _no_trace(index.content)
    assert client.get("/admin/notes/").status_code == 404
    assert client.get("/admin/notes/note/").status_code == 404
    log = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert log.status_code == 200
    _no_trace(log.content)
    assert not LogEntry.objects.filter(changes_text__icontains="phương án").exists()
    assert not LogEntry.objects.filter(content_type__app_label="notes").exists()


def test_not_in_the_api(client_for, private_note):
    description = client_for("anonymous").get(reverse("api_v1:openapi-json")).json()
    assert not [path for path in description["paths"] if "note" in path or "ghi-chu" in path]
    schemas = description.get("components", {}).get("schemas", {})
    assert not [name for name in schemas if name.lower().startswith("note")]
