"""Conclusion notice and task pages (B12). Load -> check access -> act; writes in tasks.services,
reads in tasks.selectors, rules in tasks/rules.py (an object one may not see is a 404, one seen but
not to be changed a 403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.shortcuts import get_object_for
from documents.storage import answers_503_when_storage_down
from documents.streaming import file_response
from meetings.selectors import meeting_for
from signatures.selectors import signed_pdf

from . import drafting, exports, selectors, services
from .forms import (
    AcceptForm,
    BaseTaskFormSet,
    BoardForm,
    NoticeForm,
    ReportForm,
    ReturnForm,
    task_formset,
)
from .models import Notice, Task, TaskFile, TaskStep
from .rules import issues_notice

PAGE_SIZE = 25
EXPORT_LIMIT = 10_000


def _notice(request: AuthenticatedHttpRequest, pk: int, perm: str = "tasks.view_notice") -> Notice:
    notice = get_object_for(
        request.user,
        "tasks.view_notice",
        Notice.objects.select_related("meeting", "meeting__organiser_unit"),
        pk=pk,
    )
    if perm != "tasks.view_notice" and not request.user.has_perm(perm, notice):
        raise PermissionDenied
    return notice


def _task(request: AuthenticatedHttpRequest, pk: int, perm: str = "tasks.view_task") -> Task:
    task = get_object_for(request.user, "tasks.view_task", selectors.task_for_page(pk), pk=pk)
    if perm != "tasks.view_task" and not request.user.has_perm(perm, task):
        raise PermissionDenied
    return task


# ---- notices -----------------------------------------------------------------------------------


def _initial_tasks(notice: Notice) -> list[dict[str, Any]]:
    return [
        {
            "id": t.pk,
            "title": t.title,
            "detail": t.detail,
            "unit": t.unit_id,
            "cooperating": [u.pk for u in t.cooperating.all()],
            "deadline": t.deadline,
        }
        for t in notice.tasks.prefetch_related("cooperating").order_by("id")
    ]


def _save_notice(
    request: AuthenticatedHttpRequest,
    form: NoticeForm,
    formset: BaseTaskFormSet,
    meeting: Any,
    notice: Notice | None,
) -> Notice | None:
    if not (form.is_valid() and formset.is_valid()):
        return None
    data = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
    data = {k: ("" if v is None and k != "issued_on" else v) for k, v in data.items()}
    try:
        if notice is None:
            return services.notice_create(
                meeting=meeting, by=request.user, data=data, tasks=formset.task_data()
            )
        return services.notice_update(
            notice=notice, by=request.user, data=data, tasks=formset.task_data()
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "POST"])
@login_required
def notice_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk, "tasks.add_notice")
    form = NoticeForm(request.POST or None, initial=drafting.notice_initial(meeting))
    formset = task_formset(request.POST or None)
    if request.method == "POST":
        notice = _save_notice(request, form, formset, meeting, None)
        if notice is not None:
            messages.success(request, _("Đã lưu dự thảo thông báo kết luận."))
            return redirect("tasks:notice_detail", pk=notice.pk)
        formset = formset.with_blank_rows()
    return render(
        request,
        "tasks/notice_form.html",
        {"meeting": meeting, "form": form, "formset": formset, "notice": None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def notice_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, "tasks.change_notice")
    form = NoticeForm(request.POST or None, instance=notice)
    formset = task_formset(request.POST or None, initial=_initial_tasks(notice))
    if request.method == "POST":
        saved = _save_notice(request, form, formset, notice.meeting, notice)
        if saved is not None:
            messages.success(request, _("Đã lưu dự thảo thông báo kết luận."))
            return redirect("tasks:notice_detail", pk=notice.pk)
        formset = formset.with_blank_rows()
    return render(
        request,
        "tasks/notice_form.html",
        {"meeting": notice.meeting, "form": form, "formset": formset, "notice": notice},
    )


@require_GET
@login_required
def notice_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    tasks = list(notice.tasks.select_related("unit").prefetch_related("cooperating").order_by("id"))
    user = request.user
    return render(
        request,
        "tasks/notice_detail.html",
        {
            "notice": notice,
            "meeting": notice.meeting,
            "tasks": tasks,
            "may_change": user.has_perm("tasks.change_notice", notice),
            "may_issue": user.has_perm("tasks.issue_notice", notice),
            "today": selectors.today(),
        },
    )


@require_POST
@login_required
def notice_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, "tasks.issue_notice")
    try:
        services.notice_issue(notice=notice, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Đã ban hành thông báo kết luận; các đơn vị đã được thông báo.")
        )
    return redirect("tasks:notice_detail", pk=notice.pk)


@require_GET
@login_required
def notice_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    pdf = _signed_pdf(notice) or exports.notice_pdf(notice)
    name = slugify(notice.number or notice.meeting.title, allow_unicode=True)[:60] or "thong-bao"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(True, f"thong-bao-ket-luan-{name}.pdf") or "attachment"
    )
    return response


@require_GET
@login_required
def notice_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    name = slugify(notice.number or notice.meeting.title, allow_unicode=True)[:60] or "thong-bao"
    response = HttpResponse(exports.notice_docx(notice), content_type=exports.DOCX)
    response["Content-Disposition"] = (
        content_disposition_header(True, f"thong-bao-ket-luan-{name}.docx") or "attachment"
    )
    return response


def _signed_pdf(notice: Notice) -> bytes | None:
    """The signed copy once the issued notice is signed (signatures app), else None."""
    record = signed_pdf(notice)
    if record is None:
        return None
    with record.file.open("rb") as handle:
        return bytes(handle.read())


# ---- tasks -------------------------------------------------------------------------------------


def _task_page(request: AuthenticatedHttpRequest, task: Task, **forms: Any) -> HttpResponse:
    user = request.user
    steps = list(task.steps.all())
    context = {
        "task": task,
        "notice": task.notice,
        "steps": steps,
        "returned": _returned_step(task, steps),
        "may_report": user.has_perm("tasks.report_task", task),
        "may_decide": user.has_perm("tasks.decide_task", task),
        "is_office": _is_office(user, task),
        "report_form": forms.get("report_form") or ReportForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "today": selectors.today(),
        "max_files": services.MAX_FILES,
    }
    return render(request, "tasks/task_detail.html", context, status=forms.get("status", 200))


def _returned_step(task: Task, steps: list[TaskStep]) -> TaskStep | None:
    """The office's last return, while the task is back with its unit."""
    if getattr(task, "state", "") != "returned":
        return None
    return next((s for s in reversed(steps) if s.kind == TaskStep.Kind.RETURNED), None)


def _is_office(user: User, task: Task) -> bool:
    return bool(issues_notice(user, task))


@require_GET
@login_required
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, _task(request, pk))


@require_POST
@login_required
def task_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk, "tasks.report_task")
    form = ReportForm(request.POST)
    files = request.FILES.getlist("files")
    if form.is_valid():
        try:
            step = services.task_report(
                task=task,
                by=request.user,
                note=form.cleaned_data["note"],
                files=files,
                done=form.cleaned_data["done"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if step.kind == step.Kind.REPORTED:
                messages.success(request, _("Đã báo cáo hoàn thành; chờ văn phòng xác nhận."))
            else:
                messages.success(request, _("Đã gửi báo cáo tiến độ."))
            return redirect("tasks:detail", pk=task.pk)
    return _task_page(request, _task(request, pk), report_form=form, status=400)


@require_POST
@login_required
def task_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk, "tasks.decide_task")
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.task_accept(task=task, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã xác nhận nhiệm vụ hoàn thành."))
            return redirect("tasks:detail", pk=task.pk)
    return _task_page(request, _task(request, pk), accept_form=form, status=400)


@require_POST
@login_required
def task_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk, "tasks.decide_task")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.task_return(task=task, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã trả lại nhiệm vụ cho đơn vị chủ trì."))
            return redirect("tasks:detail", pk=task.pk)
    return _task_page(request, _task(request, pk), return_form=form, status=400)


@require_GET
@login_required
@answers_503_when_storage_down
def task_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    stored = get_object_or_404(
        TaskFile.objects.select_related("step__task__notice__meeting"), pk=pk
    )
    if not request.user.has_perm("tasks.view_task", stored.step.task):
        raise Http404
    return file_response(
        request,
        storage=stored.file.storage,
        name=stored.file.name,
        size=stored.file_size,
        filename=stored.file_name,
        content_type=stored.file_type,
        etag=stored.file_sha256,
    )


# ---- boards ------------------------------------------------------------------------------------


def _board(request: AuthenticatedHttpRequest, office: bool) -> dict[str, Any]:
    user = request.user
    perm = "tasks.view_office_board" if office else "tasks.view_unit_board"
    if not user.has_perm(perm):
        raise PermissionDenied
    form = BoardForm(request.GET or None)
    data = form.valid_data()
    filters = selectors.BoardFilters(
        category=data.get("tinh_trang", ""),
        unit=data.get("don_vi"),
        meeting_id=data.get("cuoc_hop"),
        deadline_from=data.get("tu"),
        deadline_to=data.get("den"),
    )
    today = selectors.today()
    base = selectors.office_tasks(user) if office else selectors.unit_tasks(user)
    tasks = selectors.filtered(base, filters, today)
    query = request.GET.copy()
    query.pop("trang", None)
    category_query = query.copy()
    category_query.pop("tinh_trang", None)
    return {
        "office": office,
        "form": form,
        "filters": filters,
        "counts": selectors.board_counts(tasks, today),
        "states": selectors.STATES,
        "due_soon": selectors.DUE_SOON,
        "rows": selectors.board_rows(tasks, filters, today),
        "today": today,
        "query": query.urlencode(),
        "category_query": category_query.urlencode(),
        "title": _("Nhiệm vụ theo dõi của văn phòng") if office else _("Nhiệm vụ của đơn vị"),
        "unit": user.unit,
    }


def _render_board(request: AuthenticatedHttpRequest, office: bool) -> HttpResponse:
    context = _board(request, office)
    page = Paginator(context["rows"], PAGE_SIZE).get_page(request.GET.get("trang"))
    context["page"] = page
    unit = None if office else request.user.unit
    context["board_unit"] = unit
    context["table"] = exports.board_table(list(page), context["today"], unit=unit)
    return render(request, "tasks/board.html", context)


def _export_board(request: AuthenticatedHttpRequest, office: bool) -> HttpResponse:
    context = _board(request, office)
    rows = list(context["rows"][:EXPORT_LIMIT])
    table = exports.board_table(rows, context["today"], unit=None if office else request.user.unit)
    return exports.board_xlsx(context["title"], table, context["counts"], context["today"])


@require_GET
@login_required
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_board(request, office=False)


@require_GET
@login_required
def office_board(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_board(request, office=True)


@require_GET
@login_required
def board_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export_board(request, office=False)


@require_GET
@login_required
def office_board_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _export_board(request, office=True)
