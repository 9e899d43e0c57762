"""Reads for exports. The pages and exports/rules.py agree because both follow the same definitions:
the requester sees their requests, admins all of them, a unit leader those of their unit."""

from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.kept import kept_rows
from accounts.models import User
from core.dates import within_days
from core.links import link
from core.todo import TODO_LIMIT, TodoItem
from meetings.models import Meeting
from meetings.selectors import meetings_visible_to

from .models import ExportRequest

# What `_approver_q` gives an account that decides on no request.
DECIDES_NOTHING = Q(pk__in=[])


def _approver_q(user: User) -> Q:
    """Requests this account decides on (mirrors exports.rules.approves_export)."""
    if user.role == User.Role.ADMIN:
        q = Q()
    elif user.role == User.Role.UNIT_LEADER and user.unit_id:
        q = Q(unit_id=user.unit_id)
    else:
        return DECIDES_NOTHING
    return q & ~Q(requested_by_id=user.pk)


def export_requests_visible_to(user: User) -> QuerySet[ExportRequest]:
    requests = ExportRequest.objects.select_related("requested_by", "unit", "decided_by")
    if not user.is_authenticated:
        return requests.none()
    return requests.filter(Q(requested_by_id=user.pk) | _approver_q(user))


def export_requests_of(user: User) -> QuerySet[ExportRequest]:
    return export_requests_visible_to(user).filter(requested_by_id=user.pk)


def export_requests_to_decide(user: User) -> QuerySet[ExportRequest]:
    approver = _approver_q(user) if user.is_authenticated else DECIDES_NOTHING
    if approver == DECIDES_NOTHING:
        return ExportRequest.objects.none()  # decides on none: nothing to build
    return (
        export_requests_visible_to(user)
        .filter(approver, status=ExportRequest.Status.REQUESTED)
        .order_by("created_at", "id")
    )


def export_requests_decided_by(user: User, limit: int = 20) -> list[ExportRequest]:
    return list(
        export_requests_visible_to(user)
        .filter(decided_by_id=user.pk)
        .order_by("-decided_at", "-id")[:limit]
    )


def meetings_for_export(user: User, date_from: date, date_to: date) -> QuerySet[Meeting]:
    """Meetings the requester may open, not drafts, not deleted, starting within the range
    (both days included)."""
    return (
        meetings_visible_to(user)
        .exclude(status=Meeting.Status.DRAFT)
        .filter(**within_days("start_at", date_from, date_to))
        .order_by("start_at", "id")
    )


def meetings_of_export(export: ExportRequest) -> QuerySet[Meeting]:
    """What the archive holds: the meetings fixed at approval, as far as the requester may still
    open them today (a meeting deleted or withdrawn since then is left out)."""
    return (
        meetings_visible_to(export.requested_by)
        .exclude(status=Meeting.Status.DRAFT)
        .filter(pk__in=export.meetings.values("pk"))
        .select_related("organiser_unit")
        .order_by("start_at", "id")
    )


# ---- the to-do list (portal) -------------------------------------------------------------------


def _todo_rows(user: User, now: datetime) -> QuerySet[ExportRequest]:
    return export_requests_to_decide(user)[:TODO_LIMIT]


def todo_items(user: User, now: datetime) -> list[TodoItem]:
    """The to-do rows of the archive exports waiting for this account's decision (one query)."""
    rows = kept_rows("exports.todo", _todo_rows, user, now)
    return [
        TodoItem(
            kind="export_decide",
            action=_("Phê duyệt kết xuất hồ sơ"),
            title=_("Hồ sơ họp từ %(first)s đến %(last)s")
            % {
                "first": formats.date_format(export.date_from, "SHORT_DATE_FORMAT"),
                "last": formats.date_format(export.date_to, "SHORT_DATE_FORMAT"),
            },
            about=" · ".join(
                [
                    _("%(who)s đề nghị") % {"who": export.requested_by.get_full_name()},
                    export.purpose,
                ]
            ),
            url=link("exports:decide", export.pk),
            since=export.created_at,
        )
        for export in rows
    ]
