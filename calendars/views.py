"""Week and month calendars of the meetings an account may see, and the iCalendar feeds (B1)."""

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from meetings.models import Meeting
from meetings.selectors import meetings_visible_to, public_meetings
from notifications import ics

from .models import CalendarToken, new_token

FEED_LIMIT = 1000


def _parse_day(value: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _parse_month(value: str) -> date | None:
    for fmt in ("%m/%Y", "%Y-%m"):
        try:
            return datetime.strptime(value.strip(), fmt).date().replace(day=1)
        except ValueError:
            continue
    return None


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _between(user: User, first: date, last: date) -> QuerySet[Meeting]:
    """The account's meetings starting on these days (both included), in time order."""
    return (
        meetings_visible_to(user)
        .filter(start_at__gte=_aware(first), start_at__lt=_aware(last + timedelta(days=1)))
        .select_related("location", "organiser_unit", "chair", "type", "form")
        .order_by("start_at", "id")
    )


def _by_day(meetings: QuerySet[Meeting]) -> dict[date, list[Meeting]]:
    days: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        days.setdefault(timezone.localtime(meeting.start_at).date(), []).append(meeting)
    return days


@require_GET
@login_required
def week(request: HttpRequest) -> HttpResponse:
    """Lịch họp tuần: Monday to Sunday of the chosen day's week."""
    today = timezone.localdate()
    chosen = _parse_day(request.GET.get("ngay", "")) or today
    monday = chosen - timedelta(days=chosen.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    user: User = request.user  # type: ignore[assignment]
    meetings = _by_day(_between(user, days[0], days[-1]))
    return render(
        request,
        "calendars/week.html",
        {
            "days": [(day, meetings.get(day, [])) for day in days],
            "monday": monday,
            "sunday": days[-1],
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": today,
            "count": sum(len(m) for m in meetings.values()),
        },
    )


@require_GET
@login_required
def month(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    first = _parse_month(request.GET.get("thang", "")) or today.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    user: User = request.user  # type: ignore[assignment]
    meetings = _by_day(_between(user, first, last))
    weeks = [
        [(day, meetings.get(day, []), day.month == first.month) for day in week_days]
        for week_days in pycalendar.Calendar(firstweekday=0).monthdatescalendar(
            first.year, first.month
        )
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    return render(
        request,
        "calendars/month.html",
        {
            "weeks": weeks,
            "first": first,
            "previous": previous,
            "next": last + timedelta(days=1),
            "today": today,
            "count": sum(len(m) for m in meetings.values()),
        },
    )


def _feed_url(token: CalendarToken) -> str:
    return ics.site_url(reverse("calendars:feed", args=[token.token]))


@require_http_methods(["GET", "POST"])
@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    """The account's feed address, and a new one on request (the old one stops at once)."""
    user: User = request.user  # type: ignore[assignment]
    token, _created = CalendarToken.objects.get_or_create(user=user)
    if request.method == "POST":
        token.token = new_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
        messages.success(
            request, _("Đã tạo đường dẫn mới. Đường dẫn cũ không còn dùng được từ bây giờ.")
        )
        return redirect("calendars:feed_settings")
    return render(
        request,
        "calendars/feed_settings.html",
        {
            "feed_url": _feed_url(token),
            "public_feed_url": ics.site_url(reverse("calendars:public_feed")),
            "token": token,
        },
    )


def _calendar_response(body: bytes, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300" if private else "public, max-age=300"
    response["Content-Disposition"] = 'inline; filename="lich-hop.ics"'
    return response


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """An account's meetings for calendar programs: the token is the credential."""
    found = (
        CalendarToken.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if found is None:
        raise Http404
    since = timezone.now() - timedelta(days=90)
    meetings = (
        meetings_visible_to(found.user)
        .exclude(status=Meeting.Status.DRAFT)
        .filter(end_at__gte=since)
        .select_related("location__unit", "organiser_unit", "chair")
        .order_by("start_at", "id")[:FEED_LIMIT]
    )
    name = f"{settings.SITE_NAME} – {found.user.get_full_name()}"
    return _calendar_response(ics.feed(meetings, name=name), private=True)


@require_GET
def public_feed(request: HttpRequest) -> HttpResponse:
    """The public schedule (S1) for calendar programs: general information only."""
    since = timezone.now() - timedelta(days=30)
    meetings = (
        public_meetings()
        .filter(end_at__gte=since)
        .select_related("location__unit")
        .order_by("start_at", "id")[:FEED_LIMIT]
    )
    name = f"{settings.SITE_NAME} – {_('Lịch họp công khai')}"
    return _calendar_response(ics.feed(meetings, name=name, public=True), private=False)
