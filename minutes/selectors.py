"""Reads for the minutes pages, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.kept import kept_rows
from accounts.models import User
from core.links import link
from core.todo import TODO_LIMIT, TodoItem
from meetings.models import Meeting
from meetings.selectors import (
    MinutesApprover,
    minutes_approver,
    rows_of_meeting,
    visible_ids,
)
from signatures.selectors import signed_pdf as find_signed_pdf

from .exporting import cut_at_word
from .models import Minutes, MinutesEvent, MinutesVersion

HISTORY_LIMIT = 50


def minutes_of(meeting: Meeting) -> Minutes | None:
    return (
        Minutes.objects.select_related("approved_version", "approved_by")
        .filter(meeting=meeting)
        .first()
    )


def minutes_state(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes as its page's link shows them (their status, whether a version is
    approved), without the approved version's text or the approver: every meeting page asks."""
    found = rows_of_meeting("minutes.minutes_state", _state_of, meeting)
    return found[0] if found else None


def _state_of(anyone: User, now: datetime, *, meeting: int) -> QuerySet[Minutes]:
    """minutes_state's query, kept once per process (accounts.kept)."""
    return Minutes.objects.filter(meeting_id=meeting).only("id", "status", "approved_version_id")[
        :1
    ]


def approver_of(meeting: Meeting) -> MinutesApprover:
    """Who approves these minutes: the chair, or the organiser unit's leaders standing in, of
    whom only those the rule lets approve (a leader must also see the meeting)."""
    approver = minutes_approver(meeting.chair, meeting.organiser_unit)
    approver.leaders = [
        leader for leader in approver.leaders if leader.has_perm("minutes.approve_minutes", meeting)
    ]
    return approver


def waiting_for(user: User) -> QuerySet[Minutes]:
    """Drafts this account is to approve, oldest meeting first, each with `latest` (the version
    number) and `stands_in` (a leader approving for a chair without an account). The same parts
    as the rule minutes.approve_minutes, as one query."""
    none = Minutes.objects.none()
    if not user.is_authenticated:
        return none
    chair_has_account = Exists(
        User.objects.filter(person_id=OuterRef("meeting__chair_id"), is_active=True)
    )
    mine = Q(pk__in=[])
    if user.person_id:
        mine |= Q(meeting__chair_id=user.person_id)
    stands_in = Q(pk__in=[])
    if user.role == User.Role.UNIT_LEADER and user.unit_id:
        stands_in = Q(meeting__organiser_unit_id=user.unit_id) & ~Q(has_chair_account=True)
    elif not user.person_id:
        # Neither a chair nor standing in for one: nothing to build (the to-do list and the menu
        # ask this of every account on every count).
        return none
    return (
        Minutes.objects.annotate(
            has_chair_account=chair_has_account, latest=Max("versions__number")
        )
        .filter(mine | stands_in, status=Minutes.Status.DRAFT, meeting__deleted_at__isnull=True)
        .exclude(meeting__status__in=[Meeting.Status.DRAFT, Meeting.Status.CANCELLED])
        .select_related("meeting", "meeting__chair", "meeting__organiser_unit")
        .order_by("meeting__start_at", "pk")
    )


def versions_of(minutes: Minutes) -> QuerySet[MinutesVersion]:
    """The list of versions, newest first, without their text."""
    return (
        minutes.versions.select_related("by")
        .only("id", "minutes_id", "number", "generated", "at", "by__full_name", "by__username")
        .order_by("-number")
    )


def latest_version(minutes: Minutes) -> MinutesVersion | None:
    return minutes.versions.select_related("by").order_by("-number").first()


def history_of(minutes: Minutes) -> list[MinutesEvent]:
    return list(minutes.events.select_related("by").order_by("-at", "-id")[:HISTORY_LIMIT])


@dataclass
class Signed:
    """The signed PDF of the approved minutes, when the signatures app has one."""

    pdf: bytes
    name: str


def signed_pdf(minutes: Minutes) -> Signed | None:
    """The signed PDF of the approved version (signatures app), else None. A signature made
    before the latest approval signed an earlier version: it is not the published minutes."""
    record = find_signed_pdf(minutes)
    if record is None or minutes.approved_at is None or record.signed_at < minutes.approved_at:
        return None
    with record.file.open("rb") as handle:
        return Signed(pdf=handle.read(), name=f"{cut_at_word(record.title, 80, ' ')}.pdf")


# ---- the to-do list (portal) -------------------------------------------------------------------


def to_approve(user: User) -> QuerySet[Minutes]:
    """The drafts the rule minutes.approve_minutes lets this account approve: `waiting_for`
    among the meetings it sees, as one query (the rule asks the meeting one at a time)."""
    waiting = waiting_for(user)
    if waiting.query.is_empty():
        return waiting
    if not (user.role == User.Role.UNIT_LEADER and user.unit_id):
        # Only as the chair, who sees every meeting it chairs but a draft
        # (meetings.selectors.may_see), and `waiting_for` leaves the drafts out: no UNION of
        # every meeting the account sees to build and compile on every count of the menu.
        return waiting
    return waiting.filter(meeting_id__in=visible_ids(user))


def _todo_rows(user: User, now: datetime) -> QuerySet[Minutes]:
    return to_approve(user)[:TODO_LIMIT]


def todo_items(user: User, now: datetime) -> list[TodoItem]:
    """The to-do rows of the minutes waiting for this account's approval, each saying in which
    capacity it approves (one query)."""
    rows = []
    for minutes in kept_rows("minutes.todo", _todo_rows, user, now):
        meeting = minutes.meeting
        day = formats.date_format(timezone.localtime(meeting.start_at), "SHORT_DATE_FORMAT")
        if minutes.has_chair_account:  # type: ignore[attr-defined]
            capacity = _("Bạn phê duyệt với tư cách chủ trì.")
        elif meeting.chair:
            capacity = _(
                "Bạn phê duyệt với tư cách lãnh đạo đơn vị tổ chức, vì chủ trì %(chair)s chưa "
                "có tài khoản."
            ) % {"chair": meeting.chair.full_name}
        else:
            capacity = _(
                "Bạn phê duyệt với tư cách lãnh đạo đơn vị tổ chức, vì cuộc họp không ghi chủ trì."
            )
        version = _("Họp ngày %(day)s · dự thảo phiên bản %(n)s") % {
            "day": day,
            "n": minutes.latest or 1,  # type: ignore[attr-defined]
        }
        rows.append(
            TodoItem(
                kind="minutes_approve",
                action=_("Phê duyệt biên bản"),
                title=meeting.title,
                about=f"{version} · {capacity}",
                url=link("minutes:approve", meeting.pk),
                since=minutes.updated_at,
            )
        )
    return rows
