"""Attendance pages: an invitee names who comes (T1), the secretary takes the roll (T2), the
figures (T3). Load, check access (attendance/rules.py), act through a service, render."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Person, User
from core.shortcuts import get_object_for
from meetings.models import Invitation, Meeting
from meetings.shortcuts import meeting_for

from . import check_in as codes
from . import exporting, selectors, services
from .forms import UnitFiguresForm
from .models import Presence

FREE_ROWS = 3


@require_http_methods(["GET", "POST"])
@login_required
def reply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Cử người dự họp: the invitee's leader or clerk names attendees or declines (T1)."""
    meeting = get_object_for(request.user, "meetings.view_meeting", Meeting.objects.alive(), pk=pk)
    user: User = request.user
    invitations = selectors.invitations_answered_by(user, meeting)
    if not invitations:
        raise PermissionDenied
    errors: dict[int, list[str]] = {}
    if request.method == "POST":
        chosen = next((i for i in invitations if str(i.pk) == request.POST.get("invitation")), None)
        if chosen is None:
            raise Http404
        declined = request.POST.get("declined") == "on"
        people = {
            p.pk: p
            for p in Person.objects.filter(
                pk__in=[v for v in request.POST.getlist("persons") if v.isdigit()],
                unit_id=chosen.unit_id or user.unit_id or 0,
                is_active=True,
            )
        }
        attendees = [
            services.NamedAttendee(
                full_name=p.full_name, position=p.position, phone=p.phone, person=p
            )
            for p in people.values()
        ]
        for n in range(1, FREE_ROWS + 1):
            name = request.POST.get(f"name_{n}", "").strip()
            if name:
                attendees.append(
                    services.NamedAttendee(
                        full_name=name,
                        position=request.POST.get(f"position_{n}", ""),
                        phone=request.POST.get(f"phone_{n}", ""),
                    )
                )
        try:
            services.reply_set(
                invitation=chosen,
                by=user,
                declined=declined,
                reason=request.POST.get("reason", ""),
                attendees=attendees,
            )
        except ValidationError as error:
            errors[chosen.pk] = error.messages
        else:
            messages.success(request, _("Đã gửi danh sách người dự họp."))
            return redirect("meetings:detail", pk=meeting.pk)
    unit_ids = {i.unit_id or 0 for i in invitations if i.unit_id} or {user.unit_id or 0}
    personnel = Person.objects.filter(unit_id__in=unit_ids, is_active=True).order_by("full_name")
    return render(
        request,
        "attendance/reply.html",
        {
            "meeting": meeting,
            "invitations": invitations,
            "personnel": personnel,
            "errors": errors,
            "free_rows": range(1, FREE_ROWS + 1),
            "open": services.replies_open(meeting),
        },
        status=400 if errors else 200,
    )


def _roll(invitations: list) -> list[tuple]:
    """Each invitee with its lines of the roll: its named attendees, or itself."""
    return [(i, selectors.roll_entries(i)) for i in invitations]


# A mark that needs more than a tap: the row asks for it before anything is saved.
ASKS = {
    "reason": _lazy("Nhập lý do vắng mặt để lưu."),
    "substitute": _lazy("Nhập họ tên và chức vụ người dự thay để lưu."),
}


@require_GET
@login_required
def rollcall(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Điểm danh, for a tablet or a phone: one row per named attendee (or per invitee that named
    nobody), each saved on its own as it is marked."""
    meeting = meeting_for(request, pk, "attendance.take_roll")
    invitations = list(selectors.invitations_with_attendance(meeting))
    door_qr = ""
    if request.user.has_perm("attendance.view_check_in_code", meeting):
        door_qr = codes.qr_svg(_check_in_url(request, meeting), scale=3)
    return render(
        request,
        "attendance/rollcall.html",
        {
            "meeting": meeting,
            "roll": _roll(invitations),
            "figures": selectors.figures_for(invitations),
            "open": services.roll_open(meeting),
            "statuses": Presence.Status.choices,
            "door_qr": door_qr,
        },
    )


@require_POST
@login_required
def mark(request: AuthenticatedHttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "attendance.take_roll")
    invitation = get_object_or_404(selectors.invitations_with_attendance(meeting), pk=invitation_pk)
    attendee = None
    if request.POST.get("attendee"):
        attendee = next(
            (
                a
                for a in selectors.named_attendees(invitation)
                if str(a.pk) == request.POST["attendee"]
            ),
            None,
        )
        if attendee is None:
            raise Http404
    error = asking = ""
    try:
        services.presence_mark(
            invitation=invitation,
            attendee=attendee,
            by=request.user,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            substitute_name=request.POST.get("substitute_name", ""),
            substitute_position=request.POST.get("substitute_position", ""),
        )
    except ValidationError as exc:
        if exc.code in ASKS:
            asking = str(ASKS[exc.code])
        else:
            error = " ".join(exc.messages)
    who = attendee or invitation.invitee
    if request.headers.get("HX-Request"):
        invitation = selectors.invitations_with_attendance(meeting).get(pk=invitation_pk)
        entries = selectors.roll_entries(invitation)
        entry = next(
            (e for e in entries if attendee is not None and e.attendee == attendee), entries[0]
        )
        # Asking for the reason or the substitute is no error: the row comes back (200, so that
        # htmx puts it in place) with the field open and the tap kept.
        return render(
            request,
            "attendance/_roll_row.html",
            {
                "meeting": meeting,
                "entry": entry,
                "error": error,
                "asking": asking,
                "posted": request.POST,
                "saved": not (error or asking),
                "open": True,
                "statuses": Presence.Status.choices,
            },
            status=400 if error else 200,
        )
    if error or asking:
        messages.error(request, error or asking)
    else:
        messages.success(request, _("Đã lưu điểm danh: %s") % who)
    return redirect("attendance:rollcall", pk=meeting.pk)


@require_GET
@login_required
def figures(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "attendance.view_figures")
    invitations = list(selectors.invitations_with_attendance(meeting))
    return render(
        request,
        "attendance/figures.html",
        {
            "meeting": meeting,
            "roll": _roll(invitations),
            "figures": selectors.figures_for(invitations),
        },
    )


@require_GET
@login_required
@permission_required("attendance.view_unit_figures", raise_exception=True)
def unit_figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = UnitFiguresForm(request.GET or None)
    data = form.valid_data()
    start = data.get("tu") or today.replace(day=1) - timedelta(days=90)
    end = data.get("den") or today
    if end < start:
        start, end = end, start
    return render(
        request,
        "attendance/unit_figures.html",
        {"rows": selectors.unit_figures(start, end), "start": start, "end": end, "form": form},
    )


@require_GET
@login_required
def chair_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Báo cáo trước cuộc họp (M8): who viewed, downloaded what, named whom, and the roll."""
    meeting = meeting_for(request, pk, "meetings.view_chair_report")
    if request.GET.get("format") == "pdf":
        response = HttpResponse(exporting.chair_report_pdf(meeting), content_type="application/pdf")
        response["Content-Disposition"] = (
            content_disposition_header(True, f"bao-cao-chu-tri-{meeting.pk}.pdf") or "attachment"
        )
        return response
    context = exporting.chair_report_context(meeting)
    return render(request, "attendance/chair_report.html", context)


# ---- QR self check-in at the door (B5) ------------------------------------------------------


def _check_in_url(
    request: HttpRequest, meeting: Meeting, invitation: Invitation | None = None
) -> str:
    token = codes.make_token(meeting, invitation)
    return request.build_absolute_uri(reverse("attendance:check_in", args=[meeting.pk, token]))


@require_GET
@login_required
def check_in_code(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The door's QR code, printed large: everyone invited scans it with their own phone."""
    meeting = meeting_for(request, pk, "attendance.view_check_in_code")
    url = _check_in_url(request, meeting)
    return render(
        request,
        "attendance/check_in_code.html",
        {
            "meeting": meeting,
            "qr": codes.qr_svg(url, scale=10),
            "url": url,
            "opens_at": codes.opens_at(meeting),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def check_in(request: AuthenticatedHttpRequest, pk: int, token: str) -> HttpResponse:
    """Scanned from a QR code: one big button confirms presence (POST); GET changes nothing.
    An account that sees no such meeting gets a 404, as for any meeting it may not see."""
    meeting = get_object_for(
        request.user,
        "meetings.view_meeting",
        Meeting.objects.alive().select_related("location"),
        pk=pk,
    )
    user: User = request.user
    context: dict = {"meeting": meeting}
    try:
        code = codes.read_token(token, meeting)
    except codes.Refused as refusal:
        return render(
            request,
            "attendance/check_in.html",
            {**context, "refusal": refusal.message},
            status=refusal.status,
        )
    candidates = selectors.check_in_candidates(user, meeting, code.invitation_id)
    if not candidates:
        message = (
            _(
                "Mã QR này in trên giấy mời của thành phần khác; "
                "tài khoản của bạn không điểm danh thay được."
            )
            if code.invitation_id is not None
            else _(
                "Tài khoản của bạn không phải thành phần mời của cuộc họp này, "
                "hoặc không được cử dự họp."
            )
        )
        return render(
            request, "attendance/check_in.html", {**context, "refusal": message}, status=403
        )
    if request.method == "POST":
        chosen = next((i for i in candidates if str(i.pk) == request.POST.get("invitation")), None)
        if chosen is None:
            context.update(candidates=candidates, error=_("Hãy chọn thành phần mời để điểm danh."))
            return render(request, "attendance/check_in.html", context, status=400)
        result = services.check_in(invitation=chosen, by=user)
        at = timezone.localtime(result.presence.marked_at).strftime("%H:%M")
        if result.already:
            messages.info(request, _("Đã điểm danh lúc %(at)s.") % {"at": at})
        elif result.was_absent:
            messages.warning(
                request,
                _("Đã điểm danh có mặt lúc %(at)s, thay cho đánh dấu vắng mặt trước đó.")
                % {"at": at},
            )
        else:
            messages.success(request, _("Đã điểm danh có mặt lúc %(at)s.") % {"at": at})
        return redirect(request.path)
    return render(request, "attendance/check_in.html", {**context, "candidates": candidates})
