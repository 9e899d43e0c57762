"""The room's pages: the secretary's control page, asking to speak, the room's screen (B6, B10).

Load -> check access -> act: the meeting is loaded for the user (404 for whoever may not see it),
then the action's rule (403). Writes go through room.services. The control page's panel, the
screen and the banner of calls are polled by htmx; each answers an empty 304 when nothing
changed, known from the versions the services bump in the cache (core.polling), which every app
process shares."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from core.http import polled
from meetings import polling as polls
from meetings.models import AgendaItem, Meeting
from meetings.shortcuts import meeting_for

from . import selectors, services, votes
from .calls import calls_watch, render_calls
from .models import Speech


def _speech(meeting: Meeting, speech_pk: int) -> Speech:
    return get_object_or_404(
        Speech.objects.select_related("meeting"), pk=speech_pk, meeting=meeting
    )


def _int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _timer(room: selectors.Room) -> dict[str, Any]:
    """The server's figures for the timer; the page counts on from them in JavaScript."""
    now = timezone.now()
    speaker = room.speaker
    if speaker is None or speaker.started_at is None:
        return {"now_ms": int(now.timestamp() * 1000)}
    return {
        "now_ms": int(now.timestamp() * 1000),
        "started_ms": int(speaker.started_at.timestamp() * 1000),
        "allotted": speaker.allotted_seconds,
        "elapsed": speaker.elapsed_seconds(now),
        "remaining": speaker.remaining_seconds(now),
        "overtime": speaker.overtime_seconds(now),
    }


# ---- the secretary's control page ---------------------------------------------------------------


def _panel_context(meeting: Meeting) -> dict[str, Any]:
    room = selectors.room_for(meeting, with_done=True)
    return {
        "meeting": meeting,
        "room": room,
        "timer": _timer(room),
        "max_minutes": services.MAX_MINUTES,
        **votes.links(meeting),
    }


def _panel_meeting(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    return meeting_for(request, pk, "room.run_meeting")


@require_GET
@login_required
def control(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "room.run_meeting")
    return render(request, "room/control.html", _panel_context(meeting))


@require_GET
@login_required
@polled(
    load=_panel_meeting,
    watch=lambda request, meeting: polls.watch(request, meeting, "room", "votes", part="panel"),
)
def control_panel(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    return render(request, "room/_panel.html", _panel_context(meeting))


def _acted(
    request: AuthenticatedHttpRequest, meeting: Meeting, error: ValidationError | None
) -> HttpResponse:
    """After an action: the panel again for htmx, the page again for a plain form post."""
    if request.headers.get("HX-Request"):
        context = _panel_context(meeting)
        if error is not None:
            context["error"] = " ".join(error.messages)
        response = render(request, "room/_panel.html", context, status=400 if error else 200)
        patch_cache_control(response, private=True, no_cache=True)
        return response
    if error is not None:
        messages.error(request, " ".join(error.messages))
    return redirect("room:control", pk=meeting.pk)


def _run(request: AuthenticatedHttpRequest, pk: int, action: Any) -> HttpResponse:
    meeting = meeting_for(request, pk, "room.run_meeting")
    try:
        action(meeting)
    except ValidationError as error:
        return _acted(request, meeting, error)
    return _acted(request, meeting, None)


@require_POST
@login_required
def start_item(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    def act(meeting: Meeting) -> None:
        item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
        services.item_start(meeting=meeting, item=item, by=request.user)

    return _run(request, pk, act)


@require_POST
@login_required
def set_minutes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def act(meeting: Meeting) -> None:
        minutes = _int(request.POST.get("minutes"))
        if minutes is None:
            raise ValidationError(_("Hãy nhập số phút (số nguyên)."), code="minutes")
        services.minutes_set(meeting=meeting, minutes=minutes, by=request.user)

    return _run(request, pk, act)


@require_POST
@login_required
def move(request: AuthenticatedHttpRequest, pk: int, speech_pk: int) -> HttpResponse:
    def act(meeting: Meeting) -> None:
        speech = _speech(meeting, speech_pk)
        up = request.POST.get("direction") != "down"
        services.speech_move(speech=speech, up=up, by=request.user)

    return _run(request, pk, act)


@require_POST
@login_required
def give_floor(request: AuthenticatedHttpRequest, pk: int, speech_pk: int) -> HttpResponse:
    def act(meeting: Meeting) -> None:
        services.floor_give(speech=_speech(meeting, speech_pk), by=request.user)

    return _run(request, pk, act)


@require_POST
@login_required
def drop(request: AuthenticatedHttpRequest, pk: int, speech_pk: int) -> HttpResponse:
    def act(meeting: Meeting) -> None:
        services.speech_drop(speech=_speech(meeting, speech_pk), by=request.user)

    return _run(request, pk, act)


@require_POST
@login_required
def add_minute(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, lambda m: services.turn_extend(meeting=m, by=request.user))


@require_POST
@login_required
def close_turn(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, lambda m: services.turn_close(meeting=m, by=request.user))


# ---- asking to speak (phones) ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def speak(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "meetings.view_meeting")
    user = request.user
    identities = (
        selectors.floor_identities(user, meeting)
        if user.has_perm("room.request_floor", meeting)
        else []
    )
    state = selectors.state_for(meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))
    error = ""
    if request.method == "POST":
        if not identities:
            raise PermissionDenied
        item = next((i for i in items if i.pk == _int(request.POST.get("item"))), None)
        chosen = _int(request.POST.get("invitation"))
        identity = next((i for i in identities if i.invitation.pk == chosen), identities[0])
        if item is None:
            error = _("Hãy chọn nội dung muốn phát biểu.")
        else:
            try:
                services.floor_request(
                    meeting=meeting,
                    item=item,
                    by=user,
                    invitation=identity.invitation,
                    name=identity.name,
                    speaks_for=identity.speaks_for,
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("Đã đăng ký phát biểu."))
                return redirect("room:speak", pk=meeting.pk)
    own = selectors.own_requests(user, meeting)
    return render(
        request,
        "room/speak.html",
        {
            "meeting": meeting,
            "identities": identities,
            "items": items,
            "current_item_id": state.current_item_id,
            "own": own,
            "places": selectors.queue_places(meeting, own),
            "error": error,
            "running": meeting.is_running,
        },
        status=400 if error else 200,
    )


@require_POST
@login_required
def withdraw(request: AuthenticatedHttpRequest, pk: int, speech_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "meetings.view_meeting")
    speech = _speech(meeting, speech_pk)
    if speech.user_id != request.user.pk:
        raise Http404
    try:
        services.floor_withdraw(speech=speech, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã rút đăng ký phát biểu."))
    return redirect("room:speak", pk=meeting.pk)


# ---- calls: a vote to cast, the floor given (the meeting page, the dashboard) ------------------


def _calls_meeting(request: AuthenticatedHttpRequest, pk: int | None = None) -> Meeting | None:
    return meeting_for(request, pk, "meetings.view_meeting") if pk is not None else None


@require_GET
@login_required
@polled(load=_calls_meeting, watch=calls_watch)
def calls(request: AuthenticatedHttpRequest, meeting: Meeting | None) -> HttpResponse:
    """The banner's content alone, polled by the meeting page (one meeting) and the dashboard
    (every meeting); an empty 304 while nothing changed for this account."""
    return HttpResponse(render_calls(request, meeting)[0])


# ---- the room's screen ----------------------------------------------------------------------


def _screen_context(meeting: Meeting) -> dict[str, Any]:
    room = selectors.room_for(meeting)
    return {"meeting": meeting, "room": room, "timer": _timer(room), **votes.context(meeting)}


def _screen_meeting(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    return meeting_for(request, pk, "room.view_screen")


@require_GET
@login_required
def screen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "room.view_screen")
    return render(request, "room/screen.html", _screen_context(meeting))


@require_GET
@login_required
@polled(
    load=_screen_meeting,
    watch=lambda request, meeting: polls.watch(
        request, meeting, "room", "votes", "ballots", "roll", "shown", part="screen"
    ),
)
def screen_fragment(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    return render(request, "room/_screen.html", _screen_context(meeting))
