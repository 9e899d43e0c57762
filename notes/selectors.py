"""Reads of notes: a document's notes for the viewer, an account's own for its page and export.

The two forms of "who reads a note" agree with notes/rules.py: the author, and the accounts of the
unit it is shared with, both only on a document they see."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from accounts.models import User
from documents.models import Document
from documents.selectors import readable_by
from meetings.models import Meeting

from .models import Note

# The exports are short lists, not archives: bounded whatever an account wrote. WeasyPrint lays
# out about 50 notes a second on a busy server, so the PDF stops sooner than the Word file.
PDF_LIMIT = 300
DOCX_LIMIT = 2000


def readable_q(user: User) -> Q:
    q = Q(author_id=user.pk)
    if user.unit_id is not None:
        q |= Q(shared_unit_id=user.unit_id)
    return q


def notes_for_document(user: User, document: Document) -> QuerySet[Note]:
    """The account's own notes on the document (every version), then its unit's shared ones.
    The caller has checked that the account sees the document."""
    return (
        Note.objects.alive()
        .filter(readable_q(user), document=document)
        .select_related("author", "version")
        .annotate(
            theirs=Case(
                When(author_id=user.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("theirs", "page", "created_at", "id")
    )


def own_notes(user: User, meeting_id: int | None = None) -> QuerySet[Note]:
    """The account's notes on documents it still sees: by meeting (newest first), document, page."""
    notes = Note.objects.alive().filter(
        author_id=user.pk,
        document__deleted_at__isnull=True,
        # The documents' own rule as a filter: the meeting seen, a restricted one's audience.
        document__in=Document.objects.filter(readable_by(user)).values("pk"),
    )
    if meeting_id is not None:
        notes = notes.filter(document__meeting_id=meeting_id)
    return notes.select_related("document__meeting", "document__current", "version").order_by(
        "-document__meeting__start_at",
        "document__meeting_id",
        "document__order",
        "document_id",
        "page",
        "created_at",
        "id",
    )


def meetings_with_notes(user: User) -> QuerySet[Meeting]:
    """The meetings to filter the account's notes by."""
    ids = own_notes(user).order_by().values("document__meeting_id")
    return Meeting.objects.filter(pk__in=ids).order_by("-start_at", "id")
