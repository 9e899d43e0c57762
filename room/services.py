"""Every change in the room (B6): the current item, requests to speak, turns and the timer.

Each service locks the meeting's RoomState row first (SELECT ... FOR UPDATE), so that changes to
one meeting's room happen one after another whatever the number of app processes: positions in
the queue stay distinct and only one speaker has the floor. Each bumps the row's version, which
tells the room's screen that something changed. Finished turns and started items go into the
meeting's history; they are not news for anybody's inbox, so they are recorded as delivered."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import polling
from meetings import polling as polls
from meetings.models import AgendaItem, Invitation, Meeting, MeetingChange

from .models import RoomState, Speech

MAX_MINUTES = 60
EXTRA_SECONDS = 60


def _locked_state(meeting: Meeting) -> RoomState:
    RoomState.objects.get_or_create(meeting=meeting)
    return RoomState.objects.select_for_update().get(meeting=meeting)


def _bump(state: RoomState, *speeches: Speech | None) -> None:
    """The room changed: its row's version, the room's polled version (the screen, the control
    page) and the banner of each speaker given or losing the floor."""
    state.version += 1
    state.save()
    polls.bump(state.meeting_id, "room")
    polling.bump(*(polls.version("calls", s.user_id) for s in speeches if s is not None))


def _record(meeting: Meeting, kind: str, by: User | None, summary: str, details: dict) -> None:
    now = timezone.now()
    MeetingChange.objects.create(
        meeting=meeting, kind=kind, by=by, summary=summary, details=details, at=now, notified_at=now
    )


def _check_item(meeting: Meeting, item: AgendaItem) -> None:
    if item.meeting_id != meeting.pk:
        raise ValidationError(_("Nội dung này không thuộc cuộc họp."), code="item")


@transaction.atomic
def item_start(*, meeting: Meeting, item: AgendaItem, by: User) -> RoomState:
    """Moves the meeting to an item ("chuyển sang nội dung này"). Twice is once."""
    _check_item(meeting, item)
    state = _locked_state(meeting)
    if state.current_item_id == item.pk:
        return state
    state.current_item = item
    _bump(state)
    _record(
        meeting,
        MeetingChange.Kind.ITEM_STARTED,
        by,
        f"{item.position}. {item.title}",
        {"item": item.pk, "position": item.position},
    )
    return state


@transaction.atomic
def minutes_set(*, meeting: Meeting, minutes: int, by: User) -> RoomState:
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError(
            _("Thời gian mỗi lượt phát biểu từ 1 đến %(max)s phút.") % {"max": MAX_MINUTES},
            code="minutes",
        )
    state = _locked_state(meeting)
    if state.minutes_per_speaker != minutes:
        state.minutes_per_speaker = minutes
        _bump(state)
    return state


@transaction.atomic
def floor_request(
    *,
    meeting: Meeting,
    item: AgendaItem,
    by: User,
    invitation: Invitation | None,
    name: str,
    speaks_for: str = "",
) -> Speech:
    """Asks to speak on an item. A second request by the same account on the same item while
    the first is waiting is the same request (a double tap, two tabs, two processes)."""
    _check_item(meeting, item)
    state = _locked_state(meeting)
    existing = Speech.objects.filter(item=item, user=by, status=Speech.Status.WAITING).first()
    if existing is not None:
        return existing
    top = Speech.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"] or 0
    try:
        with transaction.atomic():
            speech = Speech.objects.create(
                meeting=meeting,
                item=item,
                user=by,
                invitation=invitation,
                speaker_name=(name or by.get_username())[:255],
                speaker_for=speaks_for[:255],
                position=top + 1,
            )
    except IntegrityError:
        # Only reachable without the row lock (it serialises requests): the constraint decides.
        return Speech.objects.get(item=item, user=by, status=Speech.Status.WAITING)
    _bump(state)
    return speech


def _locked_speech(speech: Speech) -> tuple[RoomState, Speech]:
    state = _locked_state(speech.meeting)
    return state, Speech.objects.select_related("item").get(pk=speech.pk)


@transaction.atomic
def floor_withdraw(*, speech: Speech, by: User) -> Speech:
    state, speech = _locked_speech(speech)
    if speech.user_id != by.pk:
        raise ValidationError(_("Đây không phải đăng ký của bạn."), code="owner")
    if speech.status != Speech.Status.WAITING:
        raise ValidationError(
            _("Không rút được: đăng ký này không còn ở danh sách chờ."), code="not_waiting"
        )
    speech.status = Speech.Status.WITHDRAWN
    speech.save()
    _bump(state)
    return speech


@transaction.atomic
def speech_drop(*, speech: Speech, by: User) -> Speech:
    """The secretary takes a request off the list (asked twice, spoken already elsewhere)."""
    state, speech = _locked_speech(speech)
    if speech.status != Speech.Status.WAITING:
        raise ValidationError(_("Đăng ký này không còn ở danh sách chờ."), code="not_waiting")
    speech.status = Speech.Status.DROPPED
    speech.save()
    _bump(state)
    return speech


@transaction.atomic
def speech_move(*, speech: Speech, up: bool, by: User) -> Speech:
    """One place up or down among the requests waiting on the same item."""
    state, speech = _locked_speech(speech)
    if speech.status != Speech.Status.WAITING:
        raise ValidationError(_("Đăng ký này không còn ở danh sách chờ."), code="not_waiting")
    waiting = list(
        Speech.objects.filter(item_id=speech.item_id, status=Speech.Status.WAITING).order_by(
            "position", "id"
        )
    )
    index = next(i for i, s in enumerate(waiting) if s.pk == speech.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(waiting):
        return speech
    other = waiting[other_index]
    # Positions may tie only if written outside the services; the order then is by id.
    mine, theirs = other.position, speech.position
    if mine == theirs:
        mine, theirs = (theirs - 1, theirs) if up else (theirs + 1, theirs)
    Speech.objects.filter(pk=speech.pk).update(position=mine, updated_at=timezone.now())
    Speech.objects.filter(pk=other.pk).update(position=theirs, updated_at=timezone.now())
    _bump(state)
    speech.position = mine
    return speech


def _finish(state: RoomState, by: User, now: datetime) -> Speech | None:
    current = (
        Speech.objects.select_related("item")
        .filter(meeting_id=state.meeting_id, status=Speech.Status.SPEAKING)
        .first()
    )
    if current is None:
        return None
    current.status = Speech.Status.DONE
    current.ended_at = now
    current.save()
    seconds = current.elapsed_seconds()
    _record(
        current.meeting,
        MeetingChange.Kind.SPOKE,
        by,
        f"{current.label} – {current.item.position}. {current.item.title}",
        {
            "speaker": current.label,
            "item": current.item_id,
            "seconds": seconds,
            "allotted_seconds": current.allotted_seconds,
        },
    )
    return current


@transaction.atomic
def floor_give(*, speech: Speech, by: User) -> Speech:
    """Gives the floor to a waiting speaker; whoever was speaking finishes their turn."""
    state, speech = _locked_speech(speech)
    if speech.status != Speech.Status.WAITING:
        raise ValidationError(_("Đăng ký này không còn ở danh sách chờ."), code="not_waiting")
    now = timezone.now()
    finished = _finish(state, by, now)
    speech.status = Speech.Status.SPEAKING
    speech.started_at = now
    speech.allotted_seconds = state.minutes_per_speaker * 60
    speech.save()
    _bump(state, speech, finished)
    return speech


@transaction.atomic
def turn_extend(*, meeting: Meeting, by: User, seconds: int = EXTRA_SECONDS) -> Speech:
    state = _locked_state(meeting)
    current = Speech.objects.filter(meeting=meeting, status=Speech.Status.SPEAKING).first()
    if current is None:
        raise ValidationError(_("Không có ai đang phát biểu."), code="nobody")
    current.allotted_seconds += seconds
    current.save()
    _bump(state, current)
    return current


@transaction.atomic
def turn_close(*, meeting: Meeting, by: User) -> Speech | None:
    """Ends the current turn; nothing happens when nobody is speaking (a second tap)."""
    state = _locked_state(meeting)
    finished = _finish(state, by, timezone.now())
    if finished is not None:
        _bump(state, finished)
    return finished
