"""Every change of state on meetings (M1, M2, M4, M6, D1). Views call these; they never write.

Each service runs in a transaction, writes the meeting's history (which the notifications capability
later delivers) and leaves the audit log to django-auditlog's model registry."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Committee, Person, Unit, User
from core import batching, changes
from core.models import TimeStampedModel, field_label

from .agenda import AgendaRow, agenda_text, split_agenda
from .models import AgendaItem, Invitation, Meeting, MeetingChange, MeetingSeries, Receipt
from .notices import announce_changes, receipt_first_viewed
from .recurrence import SeriesRule, occurrences
from .selectors import is_organiser


def _notify(meeting: Meeting, by: User | None) -> None:
    """Notifications of what this transaction recorded, written in the same transaction (M5) by
    the app that reacts to the announcement."""
    announce_changes(meeting, by)


class StaleEdit(Exception):
    """Somebody else saved the meeting after this form was opened."""


def _locked(meeting: Meeting, revision: int | None) -> Meeting:
    """The meeting's row as it is now, locked until the transaction ends, so that a status change
    is decided on what is saved, not on the copy a page loaded a while ago, and saves only what it
    changes (an edit saved in between stays). With the revision the page showed, a change made
    since is refused as for the edit form (StaleEdit)."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if revision is not None and current.revision != revision:
        raise StaleEdit
    return current


def _copy_back(current: Meeting, meeting: Meeting) -> Meeting:
    """The caller's copy shows what was saved."""
    for field in Meeting._meta.concrete_fields:
        setattr(meeting, field.attname, getattr(current, field.attname))
    return meeting


# Fields whose changes invitees see in the history, in the order the form shows them.
TRACKED_FIELDS = [
    "title",
    "agenda",
    "start_at",
    "end_at",
    "location",
    "online_link",
    "form",
    "type",
    "field",
    "chair",
    "secretary",
    "is_public",
]


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return str(value)


def _record(meeting: Meeting, kind: str, by: User | None, summary: str = "", **extra: Any) -> None:
    MeetingChange.objects.create(meeting=meeting, kind=kind, by=by, summary=summary, **extra)


def notice_deadline(meeting: Meeting) -> datetime:
    """The latest moment to publish without a reason (M2)."""
    return meeting.start_at - timedelta(days=meeting.type.min_notice_days)


def is_late(meeting: Meeting, at: datetime | None = None) -> bool:
    return (at or timezone.now()) > notice_deadline(meeting)


def retention_until(record: TimeStampedModel) -> date:
    """The first day the record may be deleted (D1): N months after its last update."""
    updated = timezone.localtime(record.updated_at).date()
    months = settings.RETENTION_MONTHS
    year, month = divmod(updated.month - 1 + months, 12)
    year += updated.year
    month += 1
    # The same day N months later, or that month's last day (31/08 + 6 months = 28/02).
    day = updated.day
    while day > 28:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1
    return date(year, month, day)


def check_retention(record: TimeStampedModel, *, official: bool) -> None:
    """Official records (published meetings and their documents) outlive deletion requests."""
    if not official:
        return
    until = retention_until(record)
    if timezone.localdate() < until:
        raise ValidationError(
            _(
                "Chưa được xoá: hồ sơ phải được lưu ít nhất %(months)s tháng kể từ lần cập nhật "
                "cuối. Có thể xoá từ ngày %(date)s."
            ),
            params={"months": settings.RETENTION_MONTHS, "date": until.strftime("%d/%m/%Y")},
            code="retention",
        )


@dataclass
class Invitees:
    units: Iterable[Unit] = ()
    committees: Iterable[Committee] = ()
    persons: Iterable[Person] = ()


def _agenda_rows(meeting: Meeting, agenda: list[AgendaRow] | str | None) -> list[AgendaRow] | None:
    """The items the meeting will have, and its text set to match: rows from the form give the
    text ("1. title (presenter)"); a free text (the API, older clients) is kept as written and
    split into items, one per line. None leaves both as they are."""
    if agenda is None:
        return None
    if isinstance(agenda, str):
        meeting.agenda = agenda
        rows = split_agenda(agenda)
        if meeting.pk is None:
            return rows
        # Line n edits item n, so that the documents attached to the items stay attached.
        saved = list(meeting.agenda_items.order_by("position", "id").values_list("pk", flat=True))
        return [replace(row, pk=pk) for row, pk in zip(rows, saved, strict=False)] + rows[
            len(saved) :
        ]
    meeting.agenda = agenda_text(agenda)
    return agenda


def _agenda_save(meeting: Meeting, rows: list[AgendaRow]) -> None:
    """Exactly these items, in this order: a row naming a saved item edits it (its documents stay
    attached), a new row adds one, a saved item no row names is removed."""
    existing = {item.pk: item for item in meeting.agenda_items.all()}
    kept: set[int] = set()
    for position, row in enumerate(rows, start=1):
        item = existing.get(row.pk) if row.pk is not None else None
        if item is None:
            item = AgendaItem(meeting=meeting)
        else:
            kept.add(item.pk)
        values = {
            "position": position,
            "title": row.title.strip(),
            "presenter": row.presenter.strip(),
            "planned_minutes": row.planned_minutes,
        }
        if item.pk is not None and all(getattr(item, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(item, name, value)
        item.full_clean(exclude=["meeting"])
        item.save()
    gone = [pk for pk in existing if pk not in kept]
    if gone:
        AgendaItem.objects.filter(pk__in=gone).delete()


@transaction.atomic
def meeting_create(
    *,
    by: User,
    data: dict[str, Any],
    invitees: Invitees,
    agenda: list[AgendaRow] | str | None = None,
) -> Meeting:
    """A draft; `agenda` as rows (the form) or as text (the API), see _agenda_rows. Text in
    `data["agenda"]` alone also becomes the items."""
    meeting = Meeting(created_by=by, **data)
    if not meeting.organiser_unit_id:
        meeting.organiser_unit = by.unit  # type: ignore[assignment]
    if agenda is None and meeting.agenda:
        agenda = meeting.agenda
    rows = _agenda_rows(meeting, agenda)
    meeting.full_clean()
    meeting.save()
    if rows:
        _agenda_save(meeting, rows)
    _record(meeting, MeetingChange.Kind.CREATED, by, visible_to_invitees=False)
    invitations_set(meeting=meeting, by=by, invitees=invitees)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    data: dict[str, Any],
    revision: int,
    invitees: Invitees,
    agenda: list[AgendaRow] | str | None = None,
) -> Meeting:
    """Saves the form's values and agenda items if nobody saved the meeting since the form was
    opened. A changed agenda shows in the history as its text before and after. Text in
    `data["agenda"]` alone, when it changed, also becomes the items."""
    updated = Meeting.objects.filter(pk=meeting.pk, revision=revision).update(
        revision=F("revision") + 1
    )
    if not updated:
        raise StaleEdit
    # As saved, not as the caller's copy: a model form has already put its values on that one.
    stored = Meeting.objects.select_related(
        "location", "form", "type", "field", "chair", "secretary"
    ).get(pk=meeting.pk)
    before = {name: getattr(stored, name) for name in TRACKED_FIELDS}
    for name, value in data.items():
        setattr(meeting, name, value)
    if agenda is None and meeting.agenda != before["agenda"]:
        agenda = meeting.agenda
    rows = _agenda_rows(meeting, agenda)
    meeting.revision = revision + 1
    meeting.full_clean()
    meeting.save()
    if rows is not None:
        _agenda_save(meeting, rows)
    changes = {
        name: [
            _display(before[name]),
            _display(getattr(meeting, name)),
        ]
        for name in TRACKED_FIELDS
        if before[name] != getattr(meeting, name)
    }
    if changes:
        _record(
            meeting,
            MeetingChange.Kind.EDITED,
            by,
            summary=", ".join(field_label(Meeting, name) for name in changes),
            details=changes,
            visible_to_invitees=not meeting.is_draft,
        )
    invitations_set(meeting=meeting, by=by, invitees=invitees)
    return meeting


def _bump(meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(revision=F("revision") + 1)
    meeting.revision += 1


@transaction.atomic
def invitations_set(*, meeting: Meeting, by: User, invitees: Invitees) -> None:
    """Adds and removes invitees so that exactly these are invited (M4); each change is recorded
    for the invitee it concerns."""
    wanted: dict[str, dict[int, Any]] = {
        "unit": {u.pk: u for u in invitees.units},
        "committee": {c.pk: c for c in invitees.committees},
        "person": {p.pk: p for p in invitees.persons},
    }
    existing = list(
        meeting.invitations.select_related("unit", "committee", "person").order_by("id")
    )
    have = {(inv.kind, getattr(inv, f"{inv.kind}_id")): inv for inv in existing}
    with batching.batch():  # the report's kept counts: each touched month counted once
        _invitations_apply(meeting, by, wanted, have)
    _notify(meeting, by)


def _invitations_apply(
    meeting: Meeting, by: User, wanted: dict[str, dict[int, Any]], have: dict[Any, Invitation]
) -> None:
    visible = not meeting.is_draft
    for (kind, pk), invitation in have.items():
        if pk not in wanted[kind]:
            invitation.delete()
            _record(
                meeting,
                MeetingChange.Kind.INVITEE_REMOVED,
                by,
                summary=str(invitation.invitee),
                visible_to_invitees=visible,
                **{f"invitation_{kind}_id": pk},
            )
    for kind, objects in wanted.items():
        for pk, obj in objects.items():
            if (kind, pk) in have:
                continue
            Invitation.objects.create(meeting=meeting, **{kind: obj})
            _record(
                meeting,
                MeetingChange.Kind.INVITEE_ADDED,
                by,
                summary=str(obj),
                visible_to_invitees=visible,
                **{f"invitation_{kind}_id": pk},
            )


@transaction.atomic
def invitation_change_note(*, invitation: Invitation, by: User, note: str) -> None:
    if invitation.note == note:
        return
    before = invitation.note
    invitation.note = note
    invitation.full_clean()
    invitation.save(update_fields=["note"])
    _record(
        invitation.meeting,
        MeetingChange.Kind.INVITEE_CHANGED,
        by,
        summary=str(invitation.invitee),
        details={"note": [_display(before), _display(note)]},
        visible_to_invitees=not invitation.meeting.is_draft,
        **{f"invitation_{invitation.kind}_id": getattr(invitation, f"{invitation.kind}_id")},
    )
    _notify(invitation.meeting, by)


@transaction.atomic
def meeting_publish(
    *, meeting: Meeting, by: User, late_reason: str = "", revision: int | None = None
) -> Meeting:
    """Draft -> published. Later than the type's notice (M2) needs a reason, which is kept."""
    caller, meeting = meeting, _locked(meeting, revision)
    now = timezone.now()
    if not meeting.is_draft:
        raise ValidationError(_("Cuộc họp này đã được phát hành."), code="not_draft")
    if meeting.start_at <= now:
        raise ValidationError(
            _("Không phát hành được cuộc họp đã bắt đầu; hãy sửa thời gian trước."), code="past"
        )
    if not meeting.invitations.exists():
        raise ValidationError(_("Hãy chọn thành phần mời trước khi phát hành."), code="no_invitees")
    late_reason = late_reason.strip()
    if is_late(meeting, now) and not late_reason:
        raise ValidationError(
            _(
                "Cuộc họp loại “%(type)s” phải được phát hành trước %(days)s ngày (hạn chót "
                "%(deadline)s). Hãy nêu lý do phát hành muộn."
            ),
            params={
                "type": meeting.type.name,
                "days": meeting.type.min_notice_days,
                "deadline": _display(notice_deadline(meeting)),
            },
            code="late",
        )
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_at = now
    meeting.late_reason = late_reason if is_late(meeting, now) else ""
    meeting.revision += 1
    meeting.save(update_fields=["status", "published_at", "late_reason", "revision", "updated_at"])
    _record(meeting, MeetingChange.Kind.PUBLISHED, by, summary=meeting.late_reason)
    _notify(meeting, by)
    return _copy_back(meeting, caller)


@transaction.atomic
def meeting_postpone(
    *,
    meeting: Meeting,
    by: User,
    reason: str,
    start_at: datetime | None,
    end_at: datetime | None,
    revision: int | None = None,
) -> Meeting:
    """Hoãn (M6): with a reason, and the new time when it is known."""
    caller, meeting = meeting, _locked(meeting, revision)
    if meeting.status not in {Meeting.Status.PUBLISHED, Meeting.Status.POSTPONED}:
        raise ValidationError(_("Chỉ hoãn được cuộc họp đã phát hành."), code="not_published")
    if not reason.strip():
        raise ValidationError(_("Hãy nêu lý do hoãn."), code="reason")
    before = (meeting.start_at, meeting.end_at)
    details = {}
    if start_at and end_at:
        if end_at <= start_at:
            raise ValidationError(_("Thời gian kết thúc phải sau thời gian bắt đầu."), code="order")
        meeting.start_at, meeting.end_at = start_at, end_at
        # A new time brings the meeting back to the schedule as published, with its history.
        meeting.status = Meeting.Status.PUBLISHED
        details = {
            "start_at": [_display(before[0]), _display(start_at)],
            "end_at": [_display(before[1]), _display(end_at)],
        }
    else:
        meeting.status = Meeting.Status.POSTPONED
    meeting.status_reason = reason.strip()
    meeting.revision += 1
    meeting.save(
        update_fields=["start_at", "end_at", "status", "status_reason", "revision", "updated_at"]
    )
    _record(
        meeting, MeetingChange.Kind.POSTPONED, by, summary=meeting.status_reason, details=details
    )
    _notify(meeting, by)
    return _copy_back(meeting, caller)


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, by: User, reason: str, revision: int | None = None
) -> Meeting:
    caller, meeting = meeting, _locked(meeting, revision)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("Cuộc họp đã bị huỷ."), code="cancelled")
    if meeting.is_draft:
        raise ValidationError(
            _("Dự thảo chưa phát hành thì không cần huỷ; hãy xoá dự thảo."), code="draft"
        )
    if not reason.strip():
        raise ValidationError(_("Hãy nêu lý do huỷ."), code="reason")
    meeting.status = Meeting.Status.CANCELLED
    meeting.status_reason = reason.strip()
    meeting.revision += 1
    meeting.save(update_fields=["status", "status_reason", "revision", "updated_at"])
    _record(meeting, MeetingChange.Kind.CANCELLED, by, summary=meeting.status_reason)
    _notify(meeting, by)
    return _copy_back(meeting, caller)


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by: User, reason: str, revision: int | None = None) -> None:
    """Deletion only marks (D1, D3). A draft that was never published is not an official record
    yet and goes at once; anything published waits out the retention period."""
    caller, meeting = meeting, _locked(meeting, revision)
    if meeting.deleted_at is not None:
        raise ValidationError(_("Cuộc họp đã bị xoá."), code="deleted")
    if not reason.strip():
        raise ValidationError(_("Hãy nêu lý do xoá."), code="reason")
    check_retention(meeting, official=meeting.published_at is not None)
    meeting.deleted_at = timezone.now()
    meeting.deleted_reason = reason.strip()
    meeting.revision += 1
    meeting.save(update_fields=["deleted_at", "deleted_reason", "revision", "updated_at"])
    _record(meeting, MeetingChange.Kind.DELETED, by, summary=meeting.deleted_reason)
    _notify(meeting, by)
    _copy_back(meeting, caller)


def receipt_record_view(*, meeting: Meeting, user: User) -> None:
    """First and last view of the meeting, per account (M7). Organisers' own visits are not
    receipts."""
    if meeting.is_draft or not user.is_authenticated:
        return
    if is_organiser(user, meeting):
        return
    now = timezone.now()
    receipt = Receipt.objects.filter(meeting=meeting, user=user)
    viewed = {"last_viewed_at": now, "view_count": F("view_count") + 1}
    # Most views are not the account's first: one statement (a write of every page view) for
    # those, the first view's own steps below. Their time and count are shown by no kept page
    # (the dashboard shows whether a meeting was opened, not how often): the data's generation
    # stays (core.changes).
    with changes.not_shown():
        if receipt.filter(first_viewed_at__isnull=False).update(**viewed):
            return
    updated = receipt.update(**viewed)
    # A receipt begun by a reply or a comment has no first view yet: this is it.
    if updated and receipt.filter(first_viewed_at__isnull=True).update(first_viewed_at=now):
        unit_id = receipt.values_list("unit_id", flat=True).first()
        receipt_first_viewed.send(sender=Receipt, meeting_id=meeting.pk, unit_id=unit_id)
    if not updated:
        with transaction.atomic():
            Receipt.objects.get_or_create(
                meeting=meeting,
                user=user,
                defaults={
                    "unit_id": user.unit_id,
                    "first_viewed_at": now,
                    "last_viewed_at": now,
                    "view_count": 1,
                },
            )


# ---- copies and series ---------------------------------------------------------------------
# What a copy takes from its meeting: everything but the time, the documents, the status and the
# history. The organiser is whoever copies (their unit), as for a new meeting.
COPIED_FIELDS = [
    "title",
    "location",
    "online_link",
    "form",
    "type",
    "field",
    "chair",
    "secretary",
    "is_public",
]


def _copy(
    source: Meeting,
    *,
    by: User,
    start_at: datetime,
    end_at: datetime,
    summary: str,
    title: str | None = None,
    series: MeetingSeries | None = None,
) -> Meeting:
    """A new draft like `source` at the given time, with its agenda items and invitees (their
    notes too), and one history row, `summary`: a copy's invitees were not "added" to anything."""
    copy = Meeting(
        created_by=by,
        organiser_unit=by.unit or source.organiser_unit,
        start_at=start_at,
        end_at=end_at,
        series=series,
        **{name: getattr(source, name) for name in COPIED_FIELDS},
    )
    if title is not None:
        copy.title = title.strip()
    rows = [
        AgendaRow(title=i.title, presenter=i.presenter, planned_minutes=i.planned_minutes)
        for i in source.agenda_items.order_by("position", "id")
    ]
    copy.agenda = agenda_text(rows) if rows else source.agenda
    copy.full_clean()
    copy.save()
    if rows:
        _agenda_save(copy, rows)
    with batching.batch():
        for invitation in source.invitations.order_by("id"):
            Invitation.objects.create(
                meeting=copy,
                unit_id=invitation.unit_id,
                committee_id=invitation.committee_id,
                person_id=invitation.person_id,
                note=invitation.note,
            )
    _record(
        copy,
        MeetingChange.Kind.COPIED,
        by,
        summary=summary,
        details={"source": source.pk},
        visible_to_invitees=False,
    )
    _notify(copy, by)
    return copy


def _named(meeting: Meeting) -> str:
    return f"“{meeting.title}” ({_display(meeting.start_at)})"


@transaction.atomic
def meeting_copy(
    *, meeting: Meeting, by: User, start_at: datetime, end_at: datetime, title: str | None = None
) -> Meeting:
    """Sao chép: a new draft with the meeting's title (or `title`), catalog entries, room, chair,
    secretary, invitees and agenda items, at a new time; without its documents or history."""
    if end_at <= start_at:
        raise ValidationError(_("Thời gian kết thúc phải sau thời gian bắt đầu."), code="order")
    return _copy(
        meeting,
        by=by,
        start_at=start_at,
        end_at=end_at,
        title=title,
        summary=_("Tạo bản sao của cuộc họp %(meeting)s") % {"meeting": _named(meeting)},
    )


@transaction.atomic
def series_create(*, meeting: Meeting, by: User, rule: SeriesRule) -> MeetingSeries:
    """Lặp lại: the meeting becomes the first of a series, and a copy of it (a draft, published
    on its own later) is made for each further date of the rule that is still to come."""
    caller, meeting = meeting, _locked(meeting, None)
    if meeting.series_id is not None:
        raise ValidationError(_("Cuộc họp này đã thuộc một chuỗi cuộc họp."), code="in_series")
    text = rule.rrule(timezone.localtime(meeting.start_at))
    now = timezone.now()
    starts = [start for start in occurrences(text, meeting.start_at)[1:] if start > now]
    if not starts:
        raise ValidationError(
            _("Quy tắc lặp không cho ngày họp nào sau cuộc họp này; hãy xem lại."), code="empty"
        )
    series = MeetingSeries(rule=text, created_by=by)
    series.full_clean()
    series.save()
    meeting.series = series
    meeting.save(update_fields=["series", "updated_at"])
    caller.series = series
    duration = meeting.end_at - meeting.start_at
    summary = _("Tạo trong chuỗi cuộc họp, theo cuộc họp %(meeting)s") % {
        "meeting": _named(meeting)
    }
    for start in starts:
        _copy(
            meeting, by=by, start_at=start, end_at=start + duration, summary=summary, series=series
        )
    return series


def series_drafts(meeting: Meeting) -> list[Meeting]:
    """The drafts of the meeting's series that have not started, in date order."""
    if meeting.series_id is None:
        return []
    return list(
        Meeting.objects.alive()
        .filter(
            series_id=meeting.series_id,
            status=Meeting.Status.DRAFT,
            start_at__gt=timezone.now(),
        )
        .select_related("type")
        .order_by("start_at", "id")
    )


@transaction.atomic
def series_publish(*, meeting: Meeting, by: User, late_reason: str = "") -> list[Meeting]:
    """Publishes every draft of the meeting's series at once (series_drafts), each as
    meeting_publish does, the reason kept on those published late. One that cannot be published
    (no invitees, late without a reason) stops them all, its date named in the message."""
    drafts = series_drafts(meeting)
    if not drafts:
        raise ValidationError(_("Chuỗi không còn dự thảo nào để phát hành."), code="none")
    for draft in drafts:
        try:
            meeting_publish(meeting=draft, by=by, late_reason=late_reason)
        except ValidationError as error:
            raise ValidationError(
                _("Cuộc họp ngày %(date)s: %(error)s")
                % {"date": _display(draft.start_at), "error": " ".join(error.messages)},
                code=error.code,
            ) from error
    return drafts


def series_following(meeting: Meeting) -> list[Meeting]:
    """The meetings of the meeting's series after it that a change to "this and the following"
    reaches: not ended, neither cancelled nor deleted; locked until the transaction ends."""
    if meeting.series_id is None:
        return []
    return list(
        Meeting.objects.alive()
        .select_for_update()
        .filter(
            series_id=meeting.series_id, start_at__gt=meeting.start_at, end_at__gt=timezone.now()
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("start_at", "id")
    )


def _invitees_of(meeting: Meeting) -> Invitees:
    invitations = list(meeting.invitations.select_related("unit", "committee", "person"))
    return Invitees(
        units=[i.unit for i in invitations if i.unit is not None],
        committees=[i.committee for i in invitations if i.committee is not None],
        persons=[i.person for i in invitations if i.person is not None],
    )


def _invitee_keys(meeting: Meeting) -> set[tuple[str, int]]:
    return {
        (inv.kind, getattr(inv, f"{inv.kind}_id"))
        for inv in Invitation.objects.filter(meeting_id=meeting.pk)
    }


@transaction.atomic
def meeting_update_following(
    *,
    meeting: Meeting,
    by: User,
    data: dict[str, Any],
    revision: int,
    invitees: Invitees,
    agenda: list[AgendaRow] | str | None = None,
) -> list[Meeting]:
    """ "Cuộc họp này và các cuộc họp sau": meeting_update on this meeting, then what changed on
    it (title, room, catalog entries, chair, secretary, invitees; the time moved by as much) on
    each following meeting of its series (series_following), each with its own history row. The
    agenda stays each meeting's own. Answers the following meetings changed."""
    stored = Meeting.objects.get(pk=meeting.pk)
    before = {name: getattr(stored, name) for name in COPIED_FIELDS}
    before_invitees = _invitee_keys(stored)
    following = series_following(stored)
    meeting_update(
        meeting=meeting, by=by, data=data, revision=revision, invitees=invitees, agenda=agenda
    )
    changed = {
        name: getattr(meeting, name)
        for name in COPIED_FIELDS
        if getattr(meeting, name) != before[name]
    }
    start_shift = meeting.start_at - stored.start_at
    end_shift = meeting.end_at - stored.end_at
    same_invitees = _invitee_keys(meeting) == before_invitees
    for other in following:
        values = dict(changed)
        if start_shift or end_shift:
            values["start_at"] = other.start_at + start_shift
            values["end_at"] = other.end_at + end_shift
        meeting_update(
            meeting=other,
            by=by,
            data=values,
            revision=other.revision,
            invitees=_invitees_of(other) if same_invitees else invitees,
        )
    return following


@transaction.atomic
def meeting_cancel_following(
    *, meeting: Meeting, by: User, reason: str, revision: int | None = None
) -> list[Meeting]:
    """Cancels this meeting and the following ones of its series (series_following): those
    published are cancelled with the reason; drafts, which nobody was sent, are deleted."""
    following = series_following(_locked(meeting, revision))
    meeting_cancel(meeting=meeting, by=by, reason=reason, revision=revision)
    for other in following:
        if other.is_draft:
            meeting_delete(meeting=other, by=by, reason=reason)
        else:
            meeting_cancel(meeting=other, by=by, reason=reason)
    return following
