"""Week and month calendars of the meetings an account may see, and the iCalendar feeds (B1)."""

import calendar as pycalendar
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from catalogs.models import Location
from core.dates import FIRST_YEAR, LAST_YEAR
from core.limits import limited
from core.public_cache import public_page
from meetings.models import Meeting
from notifications import ics

from . import selectors, services

# Dates outside core.dates' years are typing mistakes (or probes): they fall back to today, and
# the previous/next links of year 1 or 9999 can never step outside what `date` can hold.


def _in_range(day: date) -> date | None:
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def _parse_day(value: str) -> date | None:
    """dd/mm/yyyy as the pages write it, or ISO yyyy-mm-dd."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return _in_range(datetime.strptime(value.strip(), fmt).date())
        except ValueError:
            continue
    return None


def _parse_month(value: str) -> date | None:
    """mm/yyyy, or ISO yyyy-mm; the first of that month."""
    for fmt in ("%m/%Y", "%Y-%m"):
        try:
            return _in_range(datetime.strptime(value.strip(), fmt).date())
        except ValueError:
            continue
    return None


@require_GET
@login_required
def week(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Lịch họp tuần: Monday to Sunday of the chosen day's week."""
    today = timezone.localdate()
    chosen = _parse_day(request.GET.get("ngay", "")) or today
    monday = chosen - timedelta(days=chosen.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    user: User = request.user
    # One room's week (?phong=<id>): who holds it when, to book it.
    room = _room(request.GET.get("phong", ""))
    found = selectors.meetings_between(user, days[0], days[-1])
    booked: list[Meeting] = []
    if room is not None:
        found = found.filter(location=room)
        booked = selectors.room_booked(user, room, days[0], days[-1])
    meetings = selectors.meetings_by_day(found)
    busy = selectors.meetings_by_day(booked)
    return render(
        request,
        "calendars/week.html",
        {
            "days": [(day, meetings.get(day, []), busy.get(day, [])) for day in days],
            "room": room,
            "rooms": selectors.rooms(),
            "monday": monday,
            "sunday": days[-1],
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": today,
            "count": sum(len(m) for m in meetings.values()),
            "busy_count": len(booked),
        },
    )


def _room(value: str) -> Location | None:
    """The active room named by the query string; anything else shows every room."""
    if not value.isdigit() or len(value) > 12:
        return None
    return selectors.rooms().filter(pk=int(value)).first()


@require_GET
@login_required
def month(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Lịch họp tháng: a grid of weeks from Monday, the days of other months greyed."""
    today = timezone.localdate()
    first = _parse_month(request.GET.get("thang", "")) or today.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    grid = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    user: User = request.user
    meetings = selectors.meetings_by_day(selectors.meetings_between(user, first, last))
    return render(
        request,
        "calendars/month.html",
        {
            "weeks": [
                [(day, meetings.get(day, []), day.month == first.month) for day in days]
                for days in grid
            ],
            "first": first,
            "previous": (first - timedelta(days=1)).replace(day=1),
            "next": last + timedelta(days=1),
            "today": today,
            "count": sum(len(m) for m in meetings.values()),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def feed_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account's feed address, and a new one on request (the old one stops at once)."""
    user: User = request.user
    if request.method == "POST":
        services.calendar_token_renew(user=user)
        messages.success(
            request, _("Đã tạo đường dẫn mới. Đường dẫn cũ không còn dùng được từ bây giờ.")
        )
        return redirect("calendars:feed_settings")
    token = services.calendar_token_for(user=user)
    return render(
        request,
        "calendars/feed_settings.html",
        {
            "feed_url": ics.site_url(reverse("calendars:feed", args=[token.token])),
            "public_feed_url": ics.site_url(reverse("calendars:public_feed")),
            "token": token,
        },
    )


def _calendar_response(body: bytes, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300" if private else "public, max-age=300"
    response["Content-Disposition"] = 'inline; filename="lich-hop.ics"'
    return response


# GET and HEAD: some calendar programs ask with HEAD before they subscribe.
@limited("public")
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """An account's meetings for calendar programs, which cannot sign in: the token is the
    credential, so an unknown token or a deactivated account is a 404 like any other address."""
    user = selectors.token_owner(token)
    if user is None:
        raise Http404
    name = f"{settings.SITE_NAME} – {user.get_full_name() or user.username}"
    return _calendar_response(ics.feed(selectors.feed_meetings(user), name=name), private=True)


@limited("public")
@require_safe
@public_page
def public_feed(request: HttpRequest) -> HttpResponse:
    """The public schedule (S1) for calendar programs: general information only."""
    name = f"{settings.SITE_NAME} – {_('Lịch họp công khai')}"
    body = ics.feed(selectors.public_feed_meetings(), name=name, public=True)
    return _calendar_response(body, private=False)
