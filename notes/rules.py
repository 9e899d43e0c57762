"""Personal notes on document pages (B11).

A note is its author's. Shared, it is read (never changed) by the accounts of the unit it was
shared with, and only while they see the document. Nobody else, admins included, reads one: notes
are not in Django's admin, the audit log, the API or the archives.
"""

import rules
from rules.predicates import is_authenticated

from accounts.models import User
from core.predicates import is_author
from documents.rules import sees_document


@rules.predicate
def note_shared_with_unit(user: User, note: object) -> bool:
    unit_id = getattr(note, "shared_unit_id", None)
    return user.is_authenticated and unit_id is not None and unit_id == user.unit_id


@rules.predicate
def sees_note_document(user: User, note: object) -> bool:
    return bool(sees_document(user, getattr(note, "document", None)))


rules.add_perm("notes.view_own_notes", is_authenticated)
rules.add_perm("notes.add_note", sees_document)
rules.add_perm("notes.view_note", sees_note_document & (is_author | note_shared_with_unit))
rules.add_perm("notes.change_note", sees_note_document & is_author)
