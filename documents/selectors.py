"""Reads of documents that depend on who asks (D2, B11).

`readable_by(user)` is the one answer to "which documents may this account read": every list of
documents (the meeting page, the print list, "download all", the API, the search inside texts)
filters with it, and the rule `documents.view_document` (documents.rules.sees_document) asks
`reads_restricted` for one object, built from the same parts, so the two cannot disagree.

A document inherits its meeting's protection. A restricted one is read, beyond that, only by
the organiser side of its meeting (whoever organises it, its secretary, its chair) and by its
audience: the accounts that answer for one of the chosen invitations (a unit's leader or unit
clerk, a committee's account, the invited person: accounts.rules.answered_by) and the people an
invitee named to attend (attendance.Attendee, when the reply does not decline). No invitation
chosen means every invitation of the meeting. Other accounts that see the meeting (a member of an
invited unit, an admin) do not read it.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.lookups import Exact

from accounts.models import User
from accounts.rules import answered_by
from meetings.models import Invitation, Meeting
from meetings.selectors import (
    is_organiser,
    meetings_visible_to,
    organiser_q,
    organiser_side_fields,
    rows_of_meeting,
)

from .models import Document

Audience = Document.audience.through


def own_invitations(user: User) -> QuerySet[Invitation]:
    """The invitations this account answers for, or attends for by name."""
    found = answered_by(user)
    if user.is_authenticated and user.person_id:
        found |= Q(reply__declined=False, reply__attendees__person_id=user.person_id)
    return Invitation.objects.filter(found)


def _organiser_side_q(user: User, *, outer: bool = False) -> Q:
    """Documents of the meetings this account organises, is the secretary of, or chairs: asked
    of each document's meeting (a list of every meeting an office organises would be most of
    the table). `outer`: of the meeting of the query this one is a subquery of, read from its
    row."""
    side = Q()
    for name, value in organiser_side_fields(user).items():
        side |= Q(Exact(OuterRef(name), value)) if outer else Q(**{f"meeting__{name}": value})
    return side


def _audience_q(user: User) -> Q:
    """Restricted documents whose audience holds one of the account's invitations, or with no
    audience chosen and an invitation of the account in their meeting."""
    mine = own_invitations(user)
    chosen = Exists(Audience.objects.filter(document_id=OuterRef("pk")))
    in_chosen = Exists(
        Audience.objects.filter(document_id=OuterRef("pk"), invitation__in=mine.values("pk"))
    )
    in_meeting = Exists(mine.filter(meeting_id=OuterRef("meeting_id")))
    return in_chosen | (~chosen & in_meeting)


def readable_by(user: User) -> Q:
    """The documents this account may read, as a filter on Document (deleted ones included for
    their organisers; lists add `.alive()`)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    organised = organiser_q(user, "meeting__")
    seen = Q(meeting__in=meetings_visible_to(user).values("pk"))
    return seen & (Q(deleted_at__isnull=True) | organised) & readable_where_seen(user)


def readable_where_seen(user: User, *, outer: bool = False) -> Q:
    """Among the documents of meetings this account sees, those it may read: a restricted one
    only for the organiser side and its audience. For reads that start from meetings already
    found visible (the search), which need not ask again. `outer`: in a subquery asked of each
    meeting of an outer query (documents of that meeting), the organiser side read from the
    meeting's own row rather than joined again."""
    return Q(restricted=False) | _organiser_side_q(user, outer=outer) | _audience_q(user)


def documents_readable_by(user: User, documents: QuerySet[Document] | None = None) -> Any:
    """`documents` (all by default) narrowed to what this account may read."""
    documents = Document.objects.all() if documents is None else documents
    return documents.filter(readable_by(user))


def meeting_documents(user: User, meeting: Meeting) -> QuerySet[Document]:
    """The alive documents of a meeting the account sees, as its lists show them. The meeting is
    already checked, so only the restriction is asked here (no second visibility query)."""
    return _documents_of(
        user, None, meeting=meeting.pk, organiser_side=organiser_side(user, meeting)
    )


def _documents_of(
    user: User, now: Any, *, meeting: int, organiser_side: bool
) -> QuerySet[Document]:
    documents = Document.objects.alive().filter(meeting_id=meeting)
    if organiser_side:
        return documents
    return documents.filter(Q(restricted=False) | _audience_q(user))


def _listed_documents(
    user: User, now: Any, *, meeting: int, organiser_side: bool
) -> QuerySet[Document]:
    documents = _documents_of(user, now, meeting=meeting, organiser_side=organiser_side)
    return documents.select_related("current", "type", "field").order_by("order", "id")


def meeting_documents_listed(user: User, meeting: Meeting) -> list[Document]:
    """meeting_documents in the page's order, with their current version, type and field, each
    with this meeting: the meeting page's list. Read from the query kept for the account's shape
    (accounts.kept): every view of a meeting asks it, and building it, with the audience's
    subqueries, cost more than running it (about 4 ms of the ORM's time for under 2 of
    PostgreSQL's, measured on the benchmark's meeting of 10 documents)."""
    return rows_of_meeting(
        "documents.meeting_documents",
        _listed_documents,
        meeting,
        user,
        organiser_side=organiser_side(user, meeting),
    )


def deleted_documents(meeting: Meeting) -> list[Document]:
    """The meeting's deleted documents with who deleted them, for its organisers' page: from a
    query kept once per process (accounts.kept), as every view of an organiser asks it."""
    return rows_of_meeting("documents.deleted_documents", _deleted_of, meeting)


def _deleted_of(anyone: User, now: Any, *, meeting: int) -> QuerySet[Document]:
    deleted = Document.objects.filter(meeting_id=meeting, deleted_at__isnull=False)
    return deleted.select_related("deleted_by")


def organiser_side(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated:
        return False
    if is_organiser(user, meeting) or meeting.secretary_id == user.pk:
        return True
    return bool(user.person_id) and meeting.chair_id == user.person_id


def reads_restricted(user: User, document: Document) -> bool:
    """For one restricted document whose meeting the account sees: the organiser side, or the
    audience (one query). Remembered on the document for the request."""
    cache = document.__dict__.setdefault("_reads_restricted", {})
    if user.pk not in cache:
        meeting = document.meeting
        cache[user.pk] = organiser_side(user, meeting) or (
            user.is_authenticated
            and Document.objects.filter(_audience_q(user), pk=document.pk).exists()
        )
    return bool(cache[user.pk])
