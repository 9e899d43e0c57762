"""Who received and read a meeting's papers (M7): per invitee, when the invitation's e-mail went
out (M5), when the meeting was opened and commented on, and when each document was downloaded. It
reads meetings, documents and the outbox, so it sits with the outbox, above the first two."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from accounts.models import CommitteeMembership
from documents.models import Document, Download
from meetings.models import Invitation, Meeting, Receipt

from .models import OutboxMessage


@dataclass
class ReceiptRow:
    invitation: Invitation
    viewed_at: datetime | None = None
    commented_at: datetime | None = None
    viewers: set[str] = field(default_factory=set)
    downloads: dict[int, datetime] = field(default_factory=dict)
    # E-mail delivery (M5): the first message sent, and how many are waiting or failed for good.
    notified_at: datetime | None = None
    mail_waiting: int = 0
    mail_failed: int = 0


def receipt_table(meeting: Meeting) -> tuple[list[ReceiptRow], list[Any]]:
    """Invitees x (viewed, each document downloaded) (M7), in a fixed number of queries whatever
    the number of invitees and documents. An account counts for its unit, its committee, its
    person and the committees its person sits on."""
    invitations = list(
        meeting.invitations.select_related("unit", "committee", "person__unit", "reply").order_by(
            "id"
        )
    )
    documents = list(Document.objects.alive().filter(meeting=meeting).order_by("order", "id"))
    rows = [ReceiptRow(invitation=i) for i in invitations]
    by_unit = {r.invitation.unit_id: r for r in rows if r.invitation.unit_id}
    by_committee = {r.invitation.committee_id: r for r in rows if r.invitation.committee_id}
    by_person = {r.invitation.person_id: r for r in rows if r.invitation.person_id}
    committees_of: dict[int, list[int]] = {}
    for person_id, committee_id in CommitteeMembership.objects.filter(
        committee_id__in=list(by_committee)
    ).values_list("person_id", "committee_id"):
        committees_of.setdefault(person_id, []).append(committee_id)

    def rows_for(
        unit_id: int | None, committee_id: int | None, person_id: int | None
    ) -> list[ReceiptRow]:
        found = []
        if unit_id in by_unit:
            found.append(by_unit[unit_id])
        if committee_id in by_committee:
            found.append(by_committee[committee_id])
        if person_id is not None:
            if person_id in by_person:
                found.append(by_person[person_id])
            found += [by_committee[c] for c in committees_of.get(person_id, [])]
        return found

    receipts = Receipt.objects.filter(meeting=meeting).values_list(
        "first_viewed_at",
        "commented_at",
        "user__username",
        "user__unit_id",
        "user__committee_id",
        "user__person_id",
    )
    for first, commented, username, unit_id, committee_id, person_id in receipts:
        for row in rows_for(unit_id, committee_id, person_id):
            if first is not None:
                row.viewers.add(username)
                if row.viewed_at is None or first < row.viewed_at:
                    row.viewed_at = first
            if commented is not None and (row.commented_at is None or commented < row.commented_at):
                row.commented_at = commented
    downloads = Download.objects.filter(meeting=meeting).values_list(
        "document_id", "at", "user__unit_id", "user__committee_id", "user__person_id"
    )
    for document_id, at, unit_id, committee_id, person_id in downloads:
        for row in rows_for(unit_id, committee_id, person_id):
            if document_id not in row.downloads or at < row.downloads[document_id]:
                row.downloads[document_id] = at
    _delivery(meeting, rows_for)
    return rows, documents


def _delivery(meeting: Meeting, rows_for: Any) -> None:
    Status = OutboxMessage.Status
    messages = OutboxMessage.objects.filter(event__meeting=meeting).values_list(
        "status",
        "sent_at",
        "unit_id",
        "committee_id",
        "person_id",
        "user__unit_id",
        "user__committee_id",
        "user__person_id",
    )
    for status, sent_at, unit, committee, person, u_unit, u_committee, u_person in messages:
        for row in rows_for(unit or u_unit, committee or u_committee, person or u_person):
            if status == Status.SENT and sent_at is not None:
                if row.notified_at is None or sent_at < row.notified_at:
                    row.notified_at = sent_at
            elif status == Status.FAILED:
                row.mail_failed += 1
            else:
                row.mail_waiting += 1
