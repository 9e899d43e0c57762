"""Turning a meeting's history into notifications (M5), inside the transaction of the change.

`dispatch(meeting)` is called by every service that records history, before its transaction ends:
it takes the history rows not yet notified, decides which event each invitee gets (one per
recipient per dispatch, however many rows one action wrote) and writes the inbox lines and the
outbox rows. The worker sends the outbox after the commit (notifications.delivery)."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import override

from accounts.models import CommitteeMembership, Person, Unit, User
from core.phones import vn_mobile
from meetings.models import Invitation, Meeting, MeetingChange

from . import channels, ics
from .models import Event, NoticeChannel, Notification, OutboxMessage
from .receipts import receipt_table

log = logging.getLogger(__name__)

Kind = MeetingChange.Kind
# History rows that are about the meeting as a whole and reach every invitee.
GENERAL = {
    Kind.EDITED,
    Kind.DOCUMENT_ADDED,
    Kind.DOCUMENT_REPLACED,
    Kind.DOCUMENT_REMOVED,
    Kind.INVITEE_ADDED,
    Kind.INVITEE_REMOVED,
}


@dataclass
class Recipient:
    email: str
    name: str
    user_id: int | None = None
    unit_id: int | None = None
    committee_id: int | None = None
    person_id: int | None = None


@dataclass
class Audience:
    user_ids: set[int] = field(default_factory=set)
    emails: dict[str, Recipient] = field(default_factory=dict)

    def add_email(self, recipient: Recipient) -> None:
        if recipient.email:
            self.emails.setdefault(recipient.email.strip().lower(), recipient)


@dataclass
class Invited:
    """Ids of the invited units, committees and persons."""

    units: set[int] = field(default_factory=set)
    committees: set[int] = field(default_factory=set)
    persons: set[int] = field(default_factory=set)


def audience(
    invited: Invited, *, meeting: Meeting | None = None, exclude_user: int | None = None
) -> Audience:
    """Every account and e-mail address that invitations to these units, committees and persons
    reach (and, with `meeting`, its secretary and chair), in a fixed number of queries.

    A unit is reached through its accounts and its own address; a committee through its accounts
    and its members; a person through their account and their address."""
    units, committees, persons = invited.units, invited.committees, invited.persons
    members = dict(
        CommitteeMembership.objects.filter(committee_id__in=committees).values_list(
            "person_id", "committee_id"
        )
    )
    person_ids = persons | set(members)
    if meeting is not None and meeting.chair_id:
        person_ids.add(meeting.chair_id)
    found = Audience()
    accounts = User.objects.filter(is_active=True).filter(
        Q(unit_id__in=units)
        | Q(committee_id__in=committees)
        | Q(person_id__in=person_ids)
        | Q(pk=meeting.secretary_id if meeting is not None and meeting.secretary_id else None)
    )
    for user in accounts.only(
        "pk", "email", "full_name", "username", "unit_id", "committee_id", "person_id"
    ):
        if user.pk == exclude_user:
            continue
        found.user_ids.add(user.pk)
        found.add_email(
            Recipient(
                email=user.email,
                name=user.full_name or user.username,
                user_id=user.pk,
                unit_id=user.unit_id if user.unit_id in units else None,
                committee_id=user.committee_id if user.committee_id in committees else None,
                person_id=user.person_id,
            )
        )
    for person in Person.objects.filter(pk__in=person_ids, is_active=True).exclude(email=""):
        found.add_email(
            Recipient(
                email=person.email,
                name=person.full_name,
                person_id=person.pk,
                committee_id=members.get(person.pk),
            )
        )
    for unit in Unit.objects.filter(pk__in=units, is_active=True).exclude(email=""):
        found.add_email(Recipient(email=unit.email, name=unit.name, unit_id=unit.pk))
    return found


def _of(invitations: Iterable[Invitation]) -> Invited:
    ids = Invited()
    for invitation in invitations:
        if invitation.unit_id:
            ids.units.add(invitation.unit_id)
        elif invitation.committee_id:
            ids.committees.add(invitation.committee_id)
        elif invitation.person_id:
            ids.persons.add(invitation.person_id)
    return ids


def _of_changes(changes: Iterable[MeetingChange]) -> Invited:
    ids = Invited()
    for change in changes:
        if change.invitation_unit_id:
            ids.units.add(change.invitation_unit_id)
        if change.invitation_committee_id:
            ids.committees.add(change.invitation_committee_id)
        if change.invitation_person_id:
            ids.persons.add(change.invitation_person_id)
    return ids


def _change_rows(changes: Iterable[MeetingChange]) -> list[dict[str, Any]]:
    with override(settings.LANGUAGE_CODE):
        return [
            {
                "kind": change.kind,
                "label": str(change.get_kind_display()),
                "summary": change.summary,
                "details": [list(row) for row in change.detail_rows()],
            }
            for change in changes
        ]


def _emit(
    meeting: Meeting,
    kind: str,
    people: Audience,
    *,
    changes: list[MeetingChange] | None = None,
    rows: list[dict[str, Any]] | None = None,
    method: str = ics.REQUEST,
    key: str | None = None,
) -> Event | None:
    """One event, its inbox lines and its outbox rows. `rows` are change lines written by the
    caller instead of the meeting's history rows."""
    if not people.user_ids and not people.emails:
        return None
    event = Event.objects.create(
        meeting=meeting,
        kind=kind,
        snapshot=ics.snapshot(meeting),
        changes=rows if rows is not None else _change_rows(changes or []),
        method=method,
        key=key,
    )
    _deliver(event, people)
    return event


def tell_invitees(
    meeting: Meeting, kind: str, *, rows: list[dict[str, Any]], exclude_user: int | None = None
) -> Event | None:
    """An event about the meeting that is not in its history (the minutes approved, say) to
    everyone its invitations reach, its secretary and its chair, in the caller's transaction.
    Higher apps call it (minutes); `rows` are its lines, as {"kind", "label", "summary"}."""
    people = audience(_of(meeting.invitations.all()), meeting=meeting, exclude_user=exclude_user)
    lines = [{"details": [], **row} for row in rows]
    return _emit(meeting, kind, people, rows=lines)


def _texts(kind: str, user_ids: set[int]) -> tuple[dict[str, int], set[int]]:
    """Who gets this kind of notice by SMS: ({number: account}, accounts that want no e-mail).
    An account without a usable mobile number, or with SMS off, keeps its e-mail."""
    if not user_ids or not channels.enabled(OutboxMessage.Channel.SMS):
        return {}, set()
    chosen = (
        NoticeChannel.objects.filter(user_id__in=user_ids, kind=kind)
        .exclude(choice=NoticeChannel.Choice.EMAIL)
        .values_list("user_id", "choice", "user__phone")
        .order_by("user_id")
    )
    numbers: dict[str, int] = {}
    sms_only: set[int] = set()
    for user_id, choice, phone in chosen:
        number = vn_mobile(phone)
        if number is None:
            continue
        numbers.setdefault(number, user_id)  # one text per number, however many accounts share it
        if choice == NoticeChannel.Choice.SMS:
            sms_only.add(user_id)
    return numbers, sms_only


def _deliver(event: Event, people: Audience) -> None:
    """The event's inbox lines and outbox rows (an e-mail per address, an SMS per number of
    those who chose SMS for this kind); the worker is woken after the commit."""
    now = event.created_at
    Notification.objects.bulk_create(
        [Notification(user_id=pk, event=event, created_at=now) for pk in sorted(people.user_ids)]
    )
    numbers, sms_only = _texts(event.kind, people.user_ids)
    by_user = {r.user_id: r for r in people.emails.values() if r.user_id is not None}
    rows = [
        OutboxMessage(
            event=event,
            to_email=r.email,
            to_name=r.name[:255],
            user_id=r.user_id,
            unit_id=r.unit_id,
            committee_id=r.committee_id,
            person_id=r.person_id,
            created_at=now,
            next_attempt_at=now,
        )
        for r in people.emails.values()
        if r.user_id is None or r.user_id not in sms_only
    ]
    for number, user_id in numbers.items():
        reached = by_user.get(user_id)
        rows.append(
            OutboxMessage(
                event=event,
                channel=OutboxMessage.Channel.SMS,
                to_phone=number,
                to_name=reached.name[:255] if reached else "",
                user_id=user_id,
                unit_id=reached.unit_id if reached else None,
                committee_id=reached.committee_id if reached else None,
                person_id=reached.person_id if reached else None,
                created_at=now,
                next_attempt_at=now,
            )
        )
    OutboxMessage.objects.bulk_create(rows)
    if rows:
        transaction.on_commit(wake_worker)


def notify(
    invited: Invited,
    *,
    title: str,
    body: str = "",
    link: str = "",
    key: str | None = None,
    exclude_user: int | None = None,
    accounts: Q | None = None,
) -> Event | None:
    """A notice that is not about a meeting, to every account and address the units, committees
    and persons reach (as an invitation would), in the caller's transaction. Higher apps call it
    (opinions); with `key`, a second call with the same key writes nothing (IntegrityError is
    the caller's to catch inside its own savepoint). `accounts` narrows the accounts reached
    (e.g. to those who may act on the notice); the units' and persons' own addresses stay."""
    people = audience(invited, exclude_user=exclude_user)
    if accounts is not None and people.user_ids:
        kept = set(
            User.objects.filter(accounts, pk__in=people.user_ids).values_list("pk", flat=True)
        )
        people.user_ids &= kept
        for email, recipient in list(people.emails.items()):
            if recipient.user_id is not None and recipient.user_id not in kept:
                del people.emails[email]
    if not people.user_ids and not people.emails:
        return None
    event = Event.objects.create(
        kind=Event.Kind.NOTICE, title=title[:300], body=body, link=link[:500], key=key
    )
    _deliver(event, people)
    return event


def wake_worker() -> None:
    """Asks the queue to send now. If the queue cannot be reached the rows stay in the outbox and
    the worker's periodic pass sends them: nothing is lost, only later."""
    from django_q.tasks import async_task

    try:
        async_task("notifications.tasks.deliver_outbox", q_options={"task_name": "deliver_outbox"})
    except Exception:  # any broker error: the periodic pass picks the rows up
        log.warning("Could not reach the task queue; the outbox waits for the next pass.")


@transaction.atomic
def dispatch(meeting: Meeting, *, by: User | None = None) -> list[Event]:
    """Notifies the history rows of this meeting that are not notified yet."""
    pending = list(
        MeetingChange.objects.select_for_update()
        .filter(meeting=meeting, notified_at__isnull=True)
        .order_by("at", "id")
    )
    if not pending:
        return []
    MeetingChange.objects.filter(pk__in=[c.pk for c in pending]).update(notified_at=timezone.now())
    if meeting.is_draft or meeting.is_deleted:
        return []
    shown = [c for c in pending if c.visible_to_invitees]
    kinds = {c.kind for c in shown}
    actor = by.pk if by is not None else None
    invitations = list(meeting.invitations.all())
    everyone = _of(invitations)
    events: list[Event | None] = []

    for kind, event_kind, method in (
        (Kind.CANCELLED, Event.Kind.CANCELLED, ics.CANCEL),
        (Kind.PUBLISHED, Event.Kind.PUBLISHED, ics.REQUEST),
        (Kind.POSTPONED, Event.Kind.POSTPONED, ics.REQUEST),
    ):
        if kind in kinds:
            people = audience(everyone, meeting=meeting, exclude_user=actor)
            events.append(_emit(meeting, event_kind, people, changes=shown, method=method))
            return [e for e in events if e]

    added = [c for c in shown if c.kind == Kind.INVITEE_ADDED]
    removed = [c for c in shown if c.kind == Kind.INVITEE_REMOVED]
    general = [c for c in shown if c.kind in GENERAL]
    noted = [c for c in shown if c.kind == Kind.INVITEE_CHANGED]

    newcomers = audience(_of_changes(added), exclude_user=actor)
    leavers = audience(_of_changes(removed), exclude_user=actor)
    # Whoever is invited now but was also reached before gets the "changed" message only once.
    leavers.user_ids -= newcomers.user_ids
    for email in list(leavers.emails):
        if email in newcomers.emails:
            del leavers.emails[email]
    events.append(_emit(meeting, Event.Kind.INVITED, newcomers, changes=added))
    events.append(_emit(meeting, Event.Kind.UNINVITED, leavers, changes=removed, method=ics.CANCEL))
    if general:
        rest = audience(everyone, meeting=meeting, exclude_user=actor)
        rest.user_ids -= newcomers.user_ids | leavers.user_ids
        for email in list(rest.emails):
            if email in newcomers.emails or email in leavers.emails:
                del rest.emails[email]
        events.append(_emit(meeting, Event.Kind.CHANGED, rest, changes=general))
    for change in noted:
        people = audience(_of_changes([change]), exclude_user=actor)
        events.append(_emit(meeting, Event.Kind.CHANGED, people, changes=[change]))
    return [e for e in events if e]


# ---- reminders (scheduled) -----------------------------------------------------------------


def reminder_offsets() -> list[int]:
    """Minutes before the start, smallest first."""
    return sorted({int(m) for m in settings.NOTIFY_REMINDER_MINUTES if int(m) > 0})


def _pending_invitations(meeting: Meeting, *, for_comments: bool) -> list[Invitation]:
    """Invitees that still have something to do: open the meeting or name attendees; or, before
    comments close, comment."""
    rows, _documents = receipt_table(meeting)
    if for_comments:
        return [row.invitation for row in rows if row.commented_at is None]
    pending = []
    for row in rows:
        answered = row.invitation.kind == "committee" or hasattr(row.invitation, "reply")
        if row.viewed_at is None or not answered:
            pending.append(row.invitation)
    return pending


def send_reminders(now: Any = None) -> int:
    """Reminders before the start and a warning before comments close, each at most once per
    meeting (Event.key is unique): a restart or two schedulers cannot send one twice."""
    now = now or timezone.now()
    offsets = reminder_offsets()
    sent = 0
    if offsets:
        soon = Meeting.objects.alive().filter(
            status=Meeting.Status.PUBLISHED,
            start_at__gt=now,
            start_at__lte=now + timedelta(minutes=max(offsets)),
        )
        for meeting in soon.select_related("location", "organiser_unit", "chair"):
            # The nearest reminder that is due; an earlier one missed while the worker was down
            # is not sent late on top of it.
            due = [m for m in offsets if meeting.start_at - timedelta(minutes=m) <= now]
            if not due:
                continue
            minutes = min(due)
            moment = meeting.start_at - timedelta(minutes=minutes)
            if meeting.published_at and meeting.published_at > moment:
                continue  # published after this reminder's moment: the invitation was enough
            key = f"reminder:{meeting.pk}:{minutes}"
            sent += _remind(meeting, Event.Kind.REMINDER, key, for_comments=False)
    closing = settings.NOTIFY_COMMENTS_CLOSING_MINUTES
    if closing > 0:
        ending = Meeting.objects.alive().filter(
            status=Meeting.Status.PUBLISHED,
            end_at__gt=now,
            end_at__lte=now + timedelta(minutes=closing),
        )
        for meeting in ending.select_related("location", "organiser_unit", "chair"):
            key = f"comments_closing:{meeting.pk}"
            sent += _remind(meeting, Event.Kind.COMMENTS_CLOSING, key, for_comments=True)
    return sent


def _remind(meeting: Meeting, kind: str, key: str, *, for_comments: bool) -> int:
    if Event.objects.filter(key=key).exists():
        return 0
    try:
        with transaction.atomic():
            invitations = _pending_invitations(meeting, for_comments=for_comments)
            people = audience(_of(invitations))
            # Marks the reminder as done even when nobody needs it, so it is not computed again.
            event = _emit(meeting, kind, people, key=key) or Event.objects.create(
                meeting=meeting, kind=kind, snapshot=ics.snapshot(meeting), key=key
            )
    except IntegrityError:  # another scheduler wrote this reminder first
        return 0
    return 1 if event.messages.exists() or event.notifications.exists() else 0


def on_changes_recorded(
    sender: object, *, meeting: Meeting, by: User | None, **kwargs: Any
) -> None:
    dispatch(meeting, by=by)


def dispatch_stale(older_than: timedelta = timedelta(minutes=1)) -> int:
    """History rows left unnotified (a batch upload cut short between its files and its
    notification): notified by the periodic pass. Returns the number of meetings handled."""
    cutoff = timezone.now() - older_than
    ids = set(
        MeetingChange.objects.filter(notified_at__isnull=True, at__lt=cutoff).values_list(
            "meeting_id", flat=True
        )[:500]
    )
    for meeting in Meeting.objects.filter(pk__in=ids):
        dispatch(meeting)
    return len(ids)


# ---- each account's channels ------------------------------------------------------------------


def notice_channels_of(user: User) -> dict[str, str]:
    """The account's choice per kind of notice (e-mail where it chose nothing)."""
    chosen = dict(NoticeChannel.objects.filter(user=user).values_list("kind", "choice"))
    return {kind: chosen.get(kind, NoticeChannel.Choice.EMAIL) for kind in Event.Kind.values}


@transaction.atomic
def notice_channels_set(*, user: User, choices: dict[str, str], phone: str) -> None:
    """Saves the account's mobile number and its choice per kind of notice (the form checked
    that a choice with SMS has a Vietnamese mobile number to go to)."""
    if phone != user.phone:
        user.phone = phone
        user.save(update_fields=["phone"])
    for kind, choice in choices.items():
        if choice == NoticeChannel.Choice.EMAIL:
            NoticeChannel.objects.filter(user=user, kind=kind).delete()
        else:
            NoticeChannel.objects.update_or_create(
                user=user, kind=kind, defaults={"choice": choice}
            )
