"""The meeting page's reads that every view asks (its documents, agenda, invitees, history,
minutes and notices) come from queries kept per shape of account (accounts.kept), and give
exactly what the same reads built for each account give: the restricted documents only to their
audience and the organiser side, the history's drafting only to the organisers."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import kept
from accounts.models import User
from accounts.tests.factories import PersonFactory, UserFactory
from documents.models import Document
from documents.selectors import deleted_documents, meeting_documents, meeting_documents_listed
from documents.services import Metadata, document_add
from meetings import selectors
from meetings.models import AgendaItem, Invitation, MeetingChange
from meetings.tests.factories import make_meeting, pdf_bytes, publish
from minutes.models import Minutes
from minutes.selectors import minutes_state
from tasks.models import Notice
from tasks.selectors import notices_of

NAMES = (
    "documents.meeting_documents",
    "documents.deleted_documents",
    "meetings.agenda_items",
    "meetings.invitations_listed",
    "meetings.history_for",
    "minutes.minutes_state",
    "tasks.notices_of",
    "meetings.invitees_listed",
)


def _history_built(user, meeting, limit=100):
    """The history as it was read before it was kept: two queries for an invitee."""
    changes = meeting.changes.select_related("by").order_by("-at", "-id")
    if not (user.is_superuser or selectors.is_organiser(user, meeting)):
        first_sent = (
            meeting.changes.filter(kind=MeetingChange.Kind.PUBLISHED).order_by("id").first()
        )
        if first_sent is None:
            return []
        changes = changes.filter(visible_to_invitees=True, pk__gte=first_sent.pk)
    return list(changes[:limit])


def _read(user, meeting):
    documents = meeting_documents_listed(user, meeting)
    assert all(d.meeting is meeting for d in documents)
    built = meeting_documents(user, meeting).select_related("current", "type", "field")
    assert [d.pk for d in documents] == [d.pk for d in built.order_by("order", "id")]
    history = selectors.history_for(user, meeting)
    assert [c.pk for c in history] == [c.pk for c in _history_built(user, meeting)]
    state = minutes_state(meeting)
    deleted = deleted_documents(meeting)
    built_deleted = Document.objects.filter(meeting=meeting, deleted_at__isnull=False)
    assert [(d.pk, d.deleted_by_id) for d in deleted] == [
        (d.pk, d.deleted_by_id) for d in built_deleted.select_related("deleted_by")
    ]
    return [
        [(d.pk, d.deleted_by.username, d.meeting is meeting) for d in deleted],
        [(d.pk, d.title, d.current.pk, d.restricted) for d in documents],
        [(i.pk, i.title, i.meeting is meeting) for i in selectors.agenda_items(meeting)],
        [(i.pk, str(i), i.meeting is meeting) for i in selectors.invitations_listed(meeting)],
        # The page's invitees, as plain values: each invitation's kind, name and note.
        [(i.pk, i.kind, i.name, i.note) for i in selectors.invitees_listed(meeting)],
        [(c.pk, c.kind, c.by_id, c.meeting is meeting) for c in history],
        state and (state.pk, state.status),
        [(n.pk, n.meeting is meeting) for n in notices_of(meeting, user)],
    ]


def test_the_meeting_pages_reads_come_from_queries_kept_for_each_shape(
    role_users, department, other_department, monkeypatch
):
    clerk = role_users["clerk"]
    person = PersonFactory(unit=department)
    meeting = make_meeting(
        by=clerk,
        title="Họp bàn phương án nhân sự",
        units=[department, other_department],
        secretary=role_users["secretary"],
    )
    invitee = Invitation.objects.create(meeting=meeting, person=person)
    AgendaItem.objects.create(meeting=meeting, position=2, title="Nội dung hai")
    AgendaItem.objects.create(meeting=meeting, position=1, title="Nội dung một")
    theirs = meeting.invitations.get(unit=other_department)
    # Drafting, before the meeting is sent: the organisers' history only.
    MeetingChange.objects.create(
        meeting=meeting, kind=MeetingChange.Kind.EDITED, by=clerk, visible_to_invitees=True
    )
    publish(meeting, clerk)
    for name, metadata in (
        ("Phương án nhân sự.pdf", Metadata(restricted=True, audience=[theirs])),
        ("Dự toán.pdf", Metadata(restricted=True, audience=[invitee])),
        ("Chương trình.pdf", None),
        ("Báo cáo.pdf", Metadata(restricted=True)),
    ):
        document_add(
            meeting=meeting,
            by=clerk,
            uploaded=SimpleUploadedFile(name, pdf_bytes(name.encode("ascii", "replace").decode())),
            metadata=metadata,
        )
    MeetingChange.objects.create(
        meeting=meeting, kind=MeetingChange.Kind.EDITED, by=clerk, visible_to_invitees=False
    )
    gone = document_add(
        meeting=meeting,
        by=clerk,
        uploaded=SimpleUploadedFile("Bỏ.pdf", pdf_bytes("Bo")),
    )
    Document.objects.filter(pk=gone.pk).update(deleted_at=gone.created_at, deleted_by=clerk)
    Minutes.objects.create(meeting=meeting)
    Notice.objects.create(meeting=meeting, body="Kết luận", created_by=clerk)
    accounts = [
        clerk,
        role_users["secretary"],
        role_users["admin"],
        role_users["unit_leader"],
        role_users["unit_clerk"],
        role_users["member"],
        role_users["outsider"],
        UserFactory(username="canhan", role=User.Role.MEMBER, person=person, unit=None),
        UserFactory(username="leader2", role=User.Role.UNIT_LEADER, unit=other_department),
    ]

    kept.forget()
    made = [_read(user, meeting) for user in accounts]
    forms = {key: form for key, form in kept._kept.items() if key[0] in NAMES}
    # Every read kept, none built for the account instead; the documents and the history one
    # form per shape and side, the others one for all.
    assert {key[0] for key in forms} == set(NAMES)
    assert all(form is not None for form in forms.values())
    for name in NAMES[1:4] + NAMES[5:]:
        assert sum(key[0] == name for key in forms) == 1, name
    with monkeypatch.context() as built_each:
        built_each.setattr(kept, "_rows_form", lambda *args: None)
        kept.forget()
        assert [_read(user, meeting) for user in accounts] == made

    documents = {
        user.username: [row[1] for row in rows[1]]
        for user, rows in zip(accounts, made, strict=True)
    }
    assert len(documents[clerk.username]) == 4  # the organiser side reads them all
    assert documents["leader1"] == ["Chương trình", "Báo cáo"]
    assert documents["leader2"] == ["Phương án nhân sự", "Chương trình", "Báo cáo"]
    assert documents["canhan"] == ["Dự toán", "Chương trình", "Báo cáo"]
    assert documents["member1"] == ["Chương trình"]
    assert made[0][4] == [
        (i.pk, i.kind, str(i), i.note) for i in meeting.invitations.order_by("id")
    ]
    assert (
        str(Invitation.KIND_LABELS[made[0][4][0][1]]),
        str(Invitation.KIND_LABELS[made[0][4][-1][1]]),
    ) == ("Đơn vị", "Cá nhân")
    history = {user.username: len(rows[5]) for user, rows in zip(accounts, made, strict=True)}
    assert history["leader1"] < history[clerk.username]
    agenda = [row[1] for row in made[0][2]]
    assert agenda.index("Nội dung một") < agenda.index("Nội dung hai")
    assert all(row[2] for row in made[0][2])
    assert made[0][0] == [(gone.pk, clerk.username, True)]
