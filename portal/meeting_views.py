"""Meeting pages: load, check access (the apps' rules), act through a service, render.

They gather what the apps below keep about a meeting (its documents, their text for search, the
e-mails sent, the roll, the votes), so they sit in the front layer, above those apps; the
templates stay in meetings/templates beside the forms they render."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models import Window as OverTheList
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from accounts.http import AuthenticatedHttpRequest
from accounts.letterhead import governing_body
from accounts.models import Committee, Person, Unit, User
from attendance.rules import may_reply_to_any
from core.kept_parts import kept_part, part_key
from core.limits import limited
from core.paging import COUNT_LIMIT, Window
from core.public_cache import public_page
from doctext.selectors import matches_for, search_meetings
from documents.models import Document
from documents.offers import toolbar as document_offers
from documents.selectors import deleted_documents as documents_deleted
from documents.selectors import meeting_documents, meeting_documents_listed
from documents.services import document_add
from meetings import invitation as invitation_document
from meetings import selectors, services
from meetings.agenda import AgendaRow
from meetings.forms import (
    BaseAgendaFormSet,
    CopyForm,
    MeetingCreateForm,
    MeetingEditForm,
    MeetingSearchForm,
    PostponeForm,
    PublishForm,
    ReasonForm,
    RepeatForm,
    ScheduleSearchForm,
    SeriesScopeForm,
    agenda_formset,
)
from meetings.models import Meeting
from meetings.search import Found, search
from meetings.shortcuts import meeting_for
from notifications.models import OutboxMessage
from notifications.receipts import receipt_table


def _querystring(request: HttpRequest) -> str:
    """The search and filters of this page, for the pager's links (without the page number)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
@login_required
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every meeting this account may open, newest first; with search and filters (S2), all in
    the URL so that a search can be bookmarked and shared."""
    form = MeetingSearchForm(request.GET or None)
    filters = form.valid_data() if request.GET else {}
    user: User = request.user
    # A search looks for its words in each row's own text before the documents' (matches_for).
    also = ("search_all",) if filters.get("q") else ()
    counted = None
    found: Found | selectors.InvitedMeetings
    # Filtering nothing: no filter given, or only "with documents" left unticked (a page number).
    if not any(filters.values()) and selectors.listed_by_invitations(user):
        # A unit's list as it opens: walked from its invitations' index, stopping at the page.
        rows = selectors.with_row_data(Meeting.objects.alive(), user)
        found = selectors.InvitedMeetings(user, rows, COUNT_LIMIT)
    else:
        meetings = selectors.listed_to(user, also=also)
        # Without words, an account whose page query reads all its meetings anyway has the
        # count on each row (one query, not two); a search's parts are counted each on its own.
        counted = "listed" if not filters.get("q") and selectors.reads_every_row(user) else None
        if counted:
            meetings = meetings.annotate(listed=OverTheList(Count("pk")))
        # A page of title matches already found by their count is read by id (listed_by_id).
        found = search_meetings(
            meetings,
            filters,
            user,
            by_id=lambda ids: selectors.listed_by_id(user, ids, also=also),
        )
    # Newest first, the title matches of a search before the others; each part read and counted
    # (up to 1 000, a search's up to 200) walking the start index, or through the words' indexes
    # when they are rare.
    page = Window(
        found,
        request.GET.get("page"),
        50,
        count_limit=found.count_limit,
        count_order=("start_at",),
        counted=counted,
    )
    if found.words:
        # The document that brought each meeting in, with a snippet: one query for the page (B3).
        matches = matches_for(user, page.object_list, found.words)
        for meeting in page.object_list:
            meeting.document_match = matches.get(meeting.pk)
    filtered = any(k != "q" for k in filters)
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "form": form,
            "q": filters.get("q", ""),
            "now": timezone.now(),
            "querystring": _querystring(request),
            "filtered": filtered,
            "searching": bool(filters),
        },
    )


def _picker_context(form: MeetingEditForm) -> dict[str, Any]:
    """The invitee picker: units grouped by kind, committees with their members, persons."""
    units = list(Unit.objects.filter(is_active=True).order_by("kind", "order", "name"))
    groups: dict[str, dict[str, Any]] = {}
    for unit in units:
        group = groups.setdefault(unit.kind, {"label": unit.get_kind_display(), "units": []})
        group["units"].append(unit)

    def chosen(name: str) -> set[int]:
        raw = form[name].value() or []
        return {int(v) for v in raw if str(v).isdigit()}

    return {
        "unit_groups": list(groups.items()),
        "committees": Committee.objects.filter(is_active=True).order_by("name"),
        "persons": Person.objects.filter(is_active=True).select_related("unit"),
        "chosen_units": chosen("units"),
        "chosen_committees": chosen("committees"),
        "chosen_persons": chosen("persons"),
    }


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("meetings.add_meeting", raise_exception=True)
def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    form = MeetingCreateForm(request.POST or None, request.FILES or None, user=user)
    agenda = agenda_formset(request.POST or None, None)
    if request.method == "POST" and _valid(form, agenda):
        data = form.meeting_data()
        # The same meeting sent twice (double tap, resent form) is created once.
        twin = Meeting.objects.alive().filter(
            created_by=user,
            title=data["title"],
            start_at=data["start_at"],
            created_at__gte=timezone.now() - timedelta(minutes=10),
        )
        meeting = twin.first()
        if meeting is None:
            try:
                meeting = services.meeting_create(
                    by=user,
                    data={**data, "organiser_unit": user.unit},
                    invitees=form.invitees(),
                    agenda=_agenda_input(form, agenda),
                )
            except ValidationError as error:
                form.add_error(None, error)
        if meeting is not None:
            _store_files(request, meeting, form.cleaned_data["files"])
            messages.success(request, _("Đã lưu dự thảo cuộc họp “%s”.") % meeting.title)
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "agenda": agenda, "creating": True, **_picker_context(form)},
    )


def _valid(form: MeetingEditForm, agenda: BaseAgendaFormSet) -> bool:
    form_ok = form.is_valid()
    return (agenda.is_valid() if agenda.is_bound else True) and form_ok


def _agenda_input(form: MeetingEditForm, agenda: BaseAgendaFormSet) -> list[AgendaRow] | str | None:
    """The item rows when the page sent them; else the agenda as text (a client without the
    rows), else nothing: the saved items stay as they are."""
    if agenda.is_bound:
        return agenda.rows()
    return form.agenda_as_text()


def _store_files(request: AuthenticatedHttpRequest, meeting: Meeting, files: list[Any]) -> None:
    """Each file on its own: a refused one is named and the others are kept."""
    for uploaded in files:
        try:
            document_add(meeting=meeting, by=request.user, uploaded=uploaded)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.info(request, _("Đã tải lên “%s”.") % uploaded.name)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "meetings.change_meeting")
    user: User = request.user
    form = MeetingEditForm(request.POST or None, instance=meeting, user=user)
    agenda = agenda_formset(request.POST or None, meeting)
    # A meeting of a series: this one only, or this one and the following (meetings.services).
    scope = SeriesScopeForm(request.POST or None) if meeting.series_id else None
    update: Callable[..., object] = services.meeting_update
    if scope is not None and scope.following():
        update = services.meeting_update_following
    stale = False
    if request.method == "POST" and _valid(form, agenda):
        revision = form.cleaned_data.get("revision") or 0
        try:
            update(
                meeting=meeting,
                by=user,
                data=form.meeting_data(),
                revision=revision,
                invitees=form.invitees(),
                agenda=_agenda_input(form, agenda),
            )
        except services.StaleEdit:
            stale = True
            form.add_error(
                None,
                _(
                    "Cuộc họp vừa được người khác sửa sau khi bạn mở trang này. Thay đổi của bạn "
                    "CHƯA được lưu. Hãy mở lại trang sửa để xem bản mới nhất rồi sửa lại."
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("meetings:detail", pk=meeting.pk)
    status = 409 if stale else 200
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "agenda": agenda,
            "meeting": meeting,
            "creating": False,
            "scope_form": scope,
            **_picker_context(form),
        },
        status=status,
    )


def _actions(
    user: User, meeting: Meeting, organiser: bool, invitees: list[selectors.Invitee]
) -> dict[str, Any]:
    """What the meeting page offers this person, and the one primary action of each phase: before
    the meeting (publish, follow the receipts, or answer the invitation), in the room (the roll,
    running the session, asking to speak, or voting), after it (the minutes)."""
    may = {
        "may_receipts": user.has_perm("meetings.view_receipts", meeting),
        "may_reply": may_reply_to_any(user, invitees, meeting),
        "may_roll": user.has_perm("attendance.take_roll", meeting),
        "may_chair_report": user.has_perm("meetings.view_chair_report", meeting),
        "may_delete": user.has_perm("meetings.delete_meeting", meeting),
        "may_add_documents": user.has_perm("documents.add_document", meeting),
    }
    if organiser and meeting.is_draft:
        before = "publish"
    elif may["may_reply"]:
        before = "reply"
    elif may["may_receipts"]:
        before = "receipts"
    else:
        before = "comments"
    # In the room: asked once here, for the primary action and for the room's links
    # (room_tags.room_links).
    in_room = not meeting.is_draft
    may_run = in_room and user.has_perm("room.run_meeting", meeting)
    may_speak = in_room and not may_run and user.has_perm("room.request_floor", meeting)
    room = "vote"
    if not in_room:
        room = ""
    elif may["may_roll"]:
        room = "roll"
    elif may_run:
        room = "run"
    elif may_speak:
        room = "speak"
    return {
        **may,
        "may_run_room": may_run,
        "may_speak_room": may_speak,
        "primary_before": before,
        "primary_room": room,
    }


@require_GET
@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The meeting page. Its body below the title and the banner of calls is kept for the
    reader while nothing is written (core.kept_parts): the same account opening the page again
    within the minute (back from a document, a refresh) reads it from the cache, not 13 queries
    and the rendering of 30 invitees and 10 documents."""
    meeting = meeting_for(request, pk)
    user: User = request.user
    services.receipt_record_view(meeting=meeting, user=user)
    now = timezone.now()
    key = part_key("meetings:page", user.pk, now, meeting.pk, request.get_full_path())
    main = kept_part(
        request,
        key,
        lambda: render_to_string(
            "meetings/_detail_main.html", _detail_context(request, meeting), request=request
        ),
    )
    return render(request, "meetings/detail.html", {"meeting": meeting, "main": main})


def _detail_context(request: AuthenticatedHttpRequest, meeting: Meeting) -> dict[str, Any]:
    """What the meeting page's body shows (meetings/_detail_main.html)."""
    user: User = request.user
    organiser = user.has_perm("meetings.change_meeting", meeting) or selectors.is_organiser(
        user, meeting
    )
    # Restricted documents (B11) only for those who may read them: documents.selectors.
    documents = meeting_documents_listed(user, meeting)
    agenda_items = selectors.agenda_with_documents(meeting, documents)
    invitees = selectors.invitees_listed(meeting)
    deleted_documents: list[Document] = []
    failed = {"mail": 0, "sms": 0}
    if organiser:
        email = Q(channel=OutboxMessage.Channel.EMAIL)
        failed = OutboxMessage.objects.filter(
            event__meeting=meeting, status=OutboxMessage.Status.FAILED
        ).aggregate(mail=Count("pk", filter=email), sms=Count("pk", filter=~email))
        deleted_documents = documents_deleted(meeting)
    return {
        "meeting": meeting,
        "documents": documents,
        "agenda_items": agenda_items,
        # Documents attached to no item are listed as before.
        "loose_documents": (
            [d for d in documents if d.agenda_item_id is None] if agenda_items else documents
        ),
        "deleted_documents": deleted_documents,
        # What the apps above offer beside the documents (the meeting pack): documents.offers.
        "document_offers": document_offers(),
        "invitees": invitees,
        "changes": selectors.history_for(user, meeting),
        "organiser": organiser,
        "mail_failed": failed["mail"],
        "sms_failed": failed["sms"],
        **_actions(user, meeting, organiser, invitees),
        "late": meeting.is_draft and services.is_late(meeting),
        "deadline": services.notice_deadline(meeting),
        "now": timezone.now(),
        # The room taken by another published meeting at the same time: its organisers are
        # warned while they can still move one of the two.
        "room_clashes": (
            selectors.room_clashes(meeting, user)
            if organiser and meeting.phase in ("draft", "upcoming", "in_progress")
            else []
        ),
    }


@require_http_methods(["GET", "POST"])
@login_required
def meeting_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "meetings.change_meeting")
    form = _revision_form(PublishForm, request, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_publish(
                meeting=meeting,
                by=request.user,
                late_reason=form.cleaned_data["late_reason"],
                revision=form.cleaned_data.get("revision"),
            )
        except services.StaleEdit:
            form.add_error(None, ValidationError(STALE_MESSAGE, code="stale"))
        except ValidationError as error:
            form.add_error("late_reason" if error.code == "late" else None, error)
        else:
            messages.success(request, _("Đã phát hành cuộc họp tới thành phần mời."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/publish.html",
        {
            "meeting": meeting,
            "form": form,
            "late": services.is_late(meeting),
            "deadline": services.notice_deadline(meeting),
            "invitation_count": meeting.invitations.count(),
            "room_clashes": selectors.room_clashes(meeting, request.user),
        },
        status=409 if form.has_error("__all__", "stale") else 200,
    )


STALE_MESSAGE = gettext_lazy(
    "Cuộc họp vừa được người khác thay đổi sau khi bạn mở trang này. Thao tác của bạn CHƯA được "
    "thực hiện. Hãy xem lại cuộc họp rồi làm lại nếu vẫn cần."
)


def _reason_page(
    request: HttpRequest,
    meeting: Meeting,
    form: Any,
    action: str,
    scope_form: SeriesScopeForm | None = None,
) -> HttpResponse:
    """The reason form of postponing, cancelling or deleting; 409 when the meeting changed since
    the form was opened (nothing was done)."""
    stale = any(e.code == "stale" for e in form.errors.as_data().get("__all__", []))
    return render(
        request,
        "meetings/reason.html",
        {"meeting": meeting, "form": form, "action": action, "scope_form": scope_form},
        status=409 if stale else 200,
    )


def _revision_form(form_class: type, request: HttpRequest, meeting: Meeting) -> Any:
    return form_class(request.POST or None, initial={"revision": meeting.revision})


def _done(form: Any, action: Callable[[], object], field: str | None = None) -> bool:
    """Runs a status change; a refusal goes onto the form (a changed meeting as "stale", a
    broken rule with its message, on `field` when given) and the answer is False."""
    try:
        action()
    except services.StaleEdit:
        form.add_error(None, ValidationError(STALE_MESSAGE, code="stale"))
    except ValidationError as error:
        form.add_error(field, error)
    else:
        return True
    return False


@require_http_methods(["GET", "POST"])
@login_required
def meeting_postpone(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "meetings.change_meeting")
    form = _revision_form(PostponeForm, request, meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        postponed = _done(
            form,
            lambda: services.meeting_postpone(
                meeting=meeting,
                by=request.user,
                reason=data["reason"],
                start_at=data.get("start_at"),
                end_at=data.get("end_at"),
                revision=data.get("revision"),
            ),
        )
        if postponed:
            messages.success(request, _("Đã hoãn cuộc họp."))
            return redirect("meetings:detail", pk=meeting.pk)
    return _reason_page(request, meeting, form, "postpone")


@require_http_methods(["GET", "POST"])
@login_required
def meeting_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "meetings.change_meeting")
    form = _revision_form(ReasonForm, request, meeting)
    scope = SeriesScopeForm(request.POST or None) if meeting.series_id else None
    cancel: Callable[..., object] = services.meeting_cancel
    if scope is not None and scope.following():
        cancel = services.meeting_cancel_following
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cancelled = _done(
            form,
            lambda: cancel(
                meeting=meeting,
                by=request.user,
                reason=data["reason"],
                revision=data.get("revision"),
            ),
        )
        if cancelled:
            messages.success(request, _("Đã huỷ cuộc họp."))
            return redirect("meetings:detail", pk=meeting.pk)
    return _reason_page(request, meeting, form, "cancel", scope)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "meetings.delete_meeting")
    form = _revision_form(ReasonForm, request, meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        deleted = _done(
            form,
            lambda: services.meeting_delete(
                meeting=meeting,
                by=request.user,
                reason=data["reason"],
                revision=data.get("revision"),
            ),
        )
        if deleted:
            messages.success(request, _("Đã xoá cuộc họp."))
            return redirect("meetings:list")
    return _reason_page(request, meeting, form, "delete")


def _week_later(meeting: Meeting) -> tuple[Any, Any]:
    """The copy's time as the form first shows it: a week later, or as many weeks as it takes to
    be ahead of now, at the same time of day."""
    week = timedelta(days=7)
    start, end = meeting.start_at + week, meeting.end_at + week
    now = timezone.now()
    if start <= now:
        weeks = (now - start) // week + 1
        start, end = start + weeks * week, end + weeks * week
    return timezone.localtime(start), timezone.localtime(end)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Sao chép: the copy's title and time; posted, a new draft, opened for editing."""
    meeting = meeting_for(request, pk, "meetings.copy_meeting")
    start, end = _week_later(meeting)
    form = CopyForm(
        request.POST or None, initial={"title": meeting.title, "start_at": start, "end_at": end}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            copy = services.meeting_copy(
                meeting=meeting,
                by=request.user,
                start_at=data["start_at"],
                end_at=data["end_at"],
                title=data["title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Đã tạo bản sao “%s” (dự thảo). Hãy xem lại rồi lưu, thêm tài liệu.")
                % copy.title,
            )
            return redirect("meetings:edit", pk=copy.pk)
    return render(request, "meetings/copy.html", {"meeting": meeting, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def meeting_repeat(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Lặp lại: the rule of a series starting with this meeting; posted, a draft for each date."""
    meeting = meeting_for(request, pk, "meetings.repeat_meeting")
    form = RepeatForm(request.POST or None, first=timezone.localtime(meeting.start_at))
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(
                meeting=meeting,
                by=request.user,
                rule=form.rule(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Đã tạo chuỗi %(count)s cuộc họp (dự thảo), mỗi cuộc họp phát hành riêng.")
                % {"count": series.meetings.count()},
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/repeat.html",
        {"meeting": meeting, "form": form, "in_series": meeting.series_id is not None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def series_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Phát hành cả chuỗi: the drafts of the meeting's series still to come, published at once."""
    meeting = meeting_for(request, pk, "meetings.change_meeting")
    # Bound on every POST: without a late reason to give, the form posts nothing but its token.
    form = PublishForm(request.POST if request.method == "POST" else None)
    drafts = services.series_drafts(meeting)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.series_publish(
                meeting=meeting,
                by=request.user,
                late_reason=form.cleaned_data["late_reason"],
            )
        except ValidationError as error:
            form.add_error("late_reason" if error.code == "late" else None, error)
        else:
            messages.success(
                request,
                _("Đã phát hành %(count)s cuộc họp của chuỗi tới thành phần mời.")
                % {"count": len(published)},
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/series_publish.html",
        {
            "meeting": meeting,
            "form": form,
            "drafts": drafts,
            "late": any(services.is_late(draft) for draft in drafts),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_invitees(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Notes per invitee (who should come, what to prepare); adding and removing invitees is on
    the edit page's picker. Each change is recorded for the invitee it concerns (M4)."""
    meeting = meeting_for(request, pk, "meetings.change_meeting")
    invitations = list(
        meeting.invitations.select_related("unit", "committee", "person").order_by("id")
    )
    if request.method == "POST":
        changed = 0
        for invitation in invitations:
            note = request.POST.get(f"note-{invitation.pk}")
            if note is None:
                continue
            note = note.strip()[:255]
            if note != invitation.note:
                services.invitation_change_note(
                    invitation=invitation,
                    by=request.user,
                    note=note,
                )
                changed += 1
        messages.success(
            request, _("Đã lưu ghi chú của %(count)s thành phần mời.") % {"count": changed}
        )
        return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/invitees.html", {"meeting": meeting, "invitations": invitations}
    )


@require_GET
@login_required
def meeting_receipts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "meetings.view_receipts")
    rows, documents = receipt_table(meeting)
    table = [(row, [row.downloads.get(d.pk) for d in documents]) for row in rows]
    return render(
        request,
        "meetings/receipts.html",
        {
            "meeting": meeting,
            "documents": documents,
            "table": table,
            "viewed_count": sum(1 for row in rows if row.viewed_at),
        },
    )


@require_GET
@login_required
def print_invitation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    invitations = selectors.invitations_listed(meeting)
    doc = invitation_document.layout(meeting, invitations)
    return render(
        request,
        "meetings/print_invitation.html",
        {
            "meeting": meeting,
            "invitations": invitations,
            "doc": doc,
            "governing_body": doc.governing_body,
            "agenda_items": selectors.agenda_items(meeting),
            "today": timezone.localdate(),
        },
    )


def _invitation_layout(
    request: AuthenticatedHttpRequest, pk: int
) -> tuple[Meeting, invitation_document.Layout]:
    meeting = meeting_for(request, pk)
    invitations = meeting.invitations.select_related("unit", "committee", "person__unit")
    return meeting, invitation_document.layout(meeting, invitations.order_by("id"))


@require_GET
@login_required
def invitation_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, doc = _invitation_layout(request, pk)
    response = HttpResponse(invitation_document.pdf(doc), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(True, invitation_document.file_name(meeting, "pdf"))
        or "attachment"
    )
    return response


@require_GET
@login_required
def invitation_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, doc = _invitation_layout(request, pk)
    response = HttpResponse(invitation_document.docx(doc), content_type=invitation_document.DOCX)
    response["Content-Disposition"] = (
        content_disposition_header(True, invitation_document.file_name(meeting, "docx"))
        or "attachment"
    )
    return response


@require_GET
@login_required
def print_documents(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    documents = (
        meeting_documents(request.user, meeting)
        .select_related("current", "type")
        .order_by("order", "id")
    )
    return render(
        request,
        "meetings/print_documents.html",
        {
            "meeting": meeting,
            "documents": documents,
            "today": timezone.localdate(),
            "governing_body": governing_body(meeting.organiser_unit).upper(),
        },
    )


# ---- public schedule (S1) -----------------------------------------------------------------------
PERIODS = {"today": _("Hôm nay"), "week": _("Tuần này"), "upcoming": _("Sắp tới")}


@limited("public")
@require_GET
@public_page
def public_schedule(request: HttpRequest) -> HttpResponse:
    """Today's, this week's and upcoming meetings for everybody: general information only, and a
    search over that information alone (S1, S2)."""
    form = ScheduleSearchForm(request.GET or None)
    filters = form.valid_data() if request.GET else {}
    q = filters.get("q", "")
    period = request.GET.get("period", "week")
    if period not in {"today", "week", "upcoming", "all"}:
        period = "week"
    now = timezone.localtime()
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    meetings = selectors.public_meetings()
    if period == "today":
        meetings = meetings.filter(start_at__gte=day, start_at__lt=day + timedelta(days=1))
    elif period == "week":
        monday = day - timedelta(days=day.weekday())
        meetings = meetings.filter(start_at__gte=monday, start_at__lt=monday + timedelta(days=7))
    elif period == "upcoming":
        meetings = meetings.filter(end_at__gte=now)
    found = search(meetings, filters, order=("start_at", "id"), public=True)
    page = Window(
        found, request.GET.get("page"), 50, count_limit=found.count_limit, count_order=("start_at",)
    )
    return render(
        request,
        "meetings/public_schedule.html",
        {
            "page": page,
            "form": form,
            "q": q,
            "period": period,
            "now": now,
            "querystring": _querystring(request),
        },
    )


@require_GET
@public_page
def public_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(selectors.public_meetings(), pk=pk)
    return render(request, "meetings/public_meeting.html", {"meeting": meeting})
