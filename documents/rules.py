"""Who may do what with documents (M3, B11, D2). Documents inherit their meeting's protection; a
deleted one is its organisers' only; a restricted one is read by its organisers and its audience
only (documents.selectors.reads_restricted, as the lists decide)."""

from typing import cast

import rules

from accounts.models import User
from accounts.rules import is_admin, it_centre_may, it_centre_reads
from meetings.rules import meeting_is_open, organises_meeting, sees_meeting

from .models import Document
from .selectors import reads_restricted


def _meeting_of(document: object) -> object:
    return getattr(document, "meeting", None)


@rules.predicate
def sees_document(user: User, document: object) -> bool:
    meeting = _meeting_of(document)
    if meeting is None:
        return False
    if getattr(document, "deleted_at", None) is not None:
        return bool(organises_meeting(user, meeting))
    if not sees_meeting(user, meeting):
        return False
    if getattr(document, "restricted", False):
        return reads_restricted(user, cast(Document, document))
    return True


@rules.predicate
def organises_document(user: User, document: object) -> bool:
    meeting = _meeting_of(document)
    return meeting is not None and bool(organises_meeting(user, meeting))


@rules.predicate
def document_meeting_is_open(user: User, document: object) -> bool:
    """A cancelled or deleted meeting's documents stay as they were, like the meeting.

    An ended meeting's documents stay open to their organiser, as the meeting does: the final
    text of what was decided, a corrected annex or the minutes are often filed after the
    meeting, and every replaced version is kept and the change is in the meeting's history."""
    return bool(meeting_is_open(user, _meeting_of(document)))


@rules.predicate
def document_is_restricted(user: User, document: object) -> bool:
    return bool(getattr(document, "restricted", False))


@rules.predicate
def document_allows_download(user: User, document: object) -> bool:
    return bool(getattr(document, "allow_download", False))


rules.add_perm("documents.view_document", sees_document)
rules.add_perm("documents.add_document", organises_meeting & meeting_is_open)
rules.add_perm("documents.change_document", organises_document & document_meeting_is_open)
rules.add_perm("documents.view_old_versions", organises_document)
# A restricted document (B11) is downloaded only where its organiser allows it, and then as a PDF
# stamped with the reader's name (documents.watermark); otherwise it is read online only (403).
# Its organisers download what they uploaded, as it is.
rules.add_perm(
    "documents.download_document",
    sees_document & (~document_is_restricted | organises_document | document_allows_download),
)
rules.add_perm(
    "documents.download_original", sees_document & (~document_is_restricted | organises_document)
)

# The admin's read-only list of documents' names asks its own rule; the downloads' rows ("which
# meeting, when, who downloaded") are read for support.
rules.add_perm("documents.list_in_admin", is_admin)
it_centre_reads("documents", ["download"])
it_centre_may("documents")
