"""Written-opinion pages (B13): the lists, the draft, sending and closing, answering, the summary
and its Word and PDF. Load -> check access -> act; writes in opinions.services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Committee, Person, Unit, User
from core.shortcuts import get_object_for
from documents.storage import answers_503_when_storage_down
from documents.streaming import file_response

from . import exports, selectors, services
from .forms import AnswerForm, RequestForm, SignerForm
from .models import Attachment, OpinionRequest, Question, Recipient

PAGE_SIZE = 20
FILE_CODES = {
    "empty",
    "too_large",
    "extension",
    "content_mismatch",
    "too_many_members",
    "too_large_inflated",
    "files",
}


def _request(
    request: AuthenticatedHttpRequest, pk: int, perm: str = "opinions.view_request"
) -> OpinionRequest:
    """A request the user sees (else 404), then the action's rule (else 403)."""
    opinion = get_object_for(
        request.user,
        "opinions.view_request",
        OpinionRequest.objects.select_related("organiser_unit", "created_by", "sent_by"),
        pk=pk,
    )
    if perm != "opinions.view_request" and not request.user.has_perm(perm, opinion):
        raise PermissionDenied
    return opinion


@require_GET
@login_required
def waiting(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    pending_only = request.GET.get("chua-tra-loi") == "1"
    rows = selectors.waiting_for(user, pending_only=pending_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "opinions/waiting.html",
        {"page": page, "pending_only": pending_only, "now": timezone.now()},
    )


@require_GET
@login_required
def sent(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("opinions.view_sent"):
        raise PermissionDenied
    rows = selectors.sent_by_unit(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "opinions/sent.html",
        {
            "page": page,
            "now": timezone.now(),
            "may_add": request.user.has_perm("opinions.add_request"),
        },
    )


def _picker_context(form: RequestForm) -> dict[str, Any]:
    """The meetings' invitee picker: units grouped by kind, committees, persons."""
    groups: dict[str, dict[str, Any]] = {}
    for unit in Unit.objects.filter(is_active=True).order_by("kind", "order", "name"):
        group = groups.setdefault(unit.kind, {"label": unit.get_kind_display(), "units": []})
        group["units"].append(unit)
    return {
        "unit_groups": list(groups.items()),
        "committees": Committee.objects.filter(is_active=True).order_by("name"),
        "persons": Person.objects.filter(is_active=True).select_related("unit"),
        "chosen_units": form.chosen("units"),
        "chosen_committees": form.chosen("committees"),
        "chosen_persons": form.chosen("persons"),
    }


def _form_page(
    request: HttpRequest, form: RequestForm, opinion: OpinionRequest | None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "opinion": opinion, **_picker_context(form)}
    return render(request, "opinions/form.html", context, status=status)


def _add_service_error(form: RequestForm, error: ValidationError) -> None:
    code = getattr(error, "code", None)
    field = {"questions": "questions", "deadline": "deadline"}.get(code or "")
    if code in FILE_CODES:
        field = "attachments"
    form.add_error(field, error)


@require_http_methods(["GET", "POST"])
@login_required
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("opinions.add_request"):
        raise PermissionDenied
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                opinion = services.request_create(
                    by=request.user,
                    title=data["title"],
                    description=data["description"],
                    deadline=data["deadline"],
                    questions=form.question_lines(),
                    addressees=form.addressees(),
                    files=data["attachments"],
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Đã lưu dự thảo phiếu lấy ý kiến."))
                return redirect("opinions:detail", pk=opinion.pk)
        return _form_page(request, form, None, status=400)
    return _form_page(request, form, None)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opinion = _request(request, pk, "opinions.change_request")
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES or None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_edit(
                    request=opinion,
                    by=request.user,
                    revision=data["revision"],
                    title=data["title"],
                    description=data["description"],
                    deadline=data["deadline"],
                    questions=form.question_lines(),
                    addressees=form.addressees(),
                    files=data["attachments"],
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("opinions:detail", pk=opinion.pk)
        return _form_page(request, form, opinion, status=400)
    return _form_page(request, RequestForm(instance=opinion), opinion)


def _detail_context(
    request: AuthenticatedHttpRequest,
    opinion: OpinionRequest,
    forms: dict[int, AnswerForm] | None = None,
) -> dict[str, Any]:
    user: User = request.user
    questions = list(Question.objects.filter(request=opinion).order_by("position"))
    mine = selectors.recipients_for(user, opinion) if not opinion.is_draft else []
    may_answer = user.has_perm("opinions.answer_request", opinion)
    forms = forms or {}
    answering = []
    for recipient in mine:
        form = forms.get(recipient.pk)
        if form is None:
            current = {a.question_id: a for a in recipient.answers.all()}
            initial = {}
            for question in questions:
                answer = current.get(question.pk)
                if answer is not None:
                    initial[f"choice_{question.pk}"] = answer.choice
                    initial[f"comment_{question.pk}"] = answer.comment
            form = AnswerForm(initial=initial, questions=questions, prefix=f"r{recipient.pk}")
        answering.append((recipient, form))
    follows = user.has_perm("opinions.view_summary", opinion)
    return {
        "opinion": opinion,
        "questions": questions,
        "attachments": list(Attachment.objects.filter(request=opinion).order_by("id")),
        "answering": answering,
        "may_answer": may_answer,
        "refusal": services.refusal(opinion) if mine else None,
        "history": selectors.history_of(mine) if mine else [],
        "follows": follows,
        "recipients": (
            list(
                Recipient.objects.filter(request=opinion)
                .select_related("unit", "committee", "person", "answered_by")
                .order_by("id")
            )
            if follows
            else []
        ),
        "may_edit": user.has_perm("opinions.change_request", opinion),
        "may_send": user.has_perm("opinions.send_request", opinion),
        "may_close": user.has_perm("opinions.close_request", opinion),
        "deadline_passed": opinion.is_past_deadline(),
    }


@require_http_methods(["GET", "POST"])
@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The request's page; a recipient's answer is sent to it (POST), so that a refused answer
    is shown at the page's own address and reloading that address shows the page."""
    if request.method == "POST":
        return _answer(request, pk)
    opinion = _request(request, pk)
    return render(request, "opinions/detail.html", _detail_context(request, opinion))


@require_POST
@login_required
def send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opinion = _request(request, pk, "opinions.send_request")
    try:
        services.request_send(request=opinion, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã gửi phiếu lấy ý kiến đến các nơi được lấy ý kiến."))
    return redirect("opinions:detail", pk=opinion.pk)


@require_POST
@login_required
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opinion = _request(request, pk, "opinions.close_request")
    services.request_close(request=opinion, by=request.user)
    messages.success(request, _("Đã kết thúc lấy ý kiến; không nhận thêm ý kiến."))
    return redirect("opinions:detail", pk=opinion.pk)


@require_http_methods(["GET", "POST"])
@login_required
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The address answers were once sent to, kept for bookmarks, the history and pages left
    open: a GET opens the request's page, an answer goes on to it (307 keeps it a POST)."""
    opinion = _request(request, pk)
    return redirect("opinions:detail", pk=opinion.pk, preserve_request=request.method == "POST")


def _answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opinion = _request(request, pk, "opinions.answer_request")
    user: User = request.user
    mine = {r.pk: r for r in selectors.recipients_for(user, opinion)}
    raw = request.POST.get("recipient", "")
    recipient = mine.get(int(raw)) if raw.isdigit() else None
    if recipient is None:
        messages.error(request, _("Bạn không trả lời thay cho nơi này; hãy tải lại trang."))
        return redirect("opinions:detail", pk=opinion.pk)
    questions = list(Question.objects.filter(request=opinion).order_by("position"))
    form = AnswerForm(request.POST, questions=questions, prefix=f"r{recipient.pk}")
    if form.is_valid():
        try:
            changed = services.answer_submit(recipient=recipient, by=user, given=form.given())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("Đã ghi nhận ý kiến của %s.") % recipient)
            else:
                messages.info(request, _("Ý kiến không thay đổi; không có gì cần ghi thêm."))
            return redirect("opinions:detail", pk=opinion.pk)
    context = _detail_context(request, opinion, forms={recipient.pk: form})
    return render(request, "opinions/detail.html", context, status=400)


def _summary_page(
    request: AuthenticatedHttpRequest,
    opinion: OpinionRequest,
    form: SignerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    summary = selectors.summary_for(opinion)
    may_sign = request.user.has_perm("opinions.change_summary", opinion)
    if form is None and may_sign:
        form = SignerForm(
            initial={
                "summary_signer_title": summary.signer_title,
                "summary_signer_name": summary.signer_name,
            }
        )
    context = {"opinion": opinion, "doc": exports.layout(summary), "form": form}
    return render(request, "opinions/summary.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The summary as the office files it; the asking unit names its signer here (POST)."""
    opinion = _request(request, pk, "opinions.view_summary")
    if request.method == "GET":
        return _summary_page(request, opinion)
    if not request.user.has_perm("opinions.change_summary", opinion):
        raise PermissionDenied
    form = SignerForm(request.POST)
    if not form.is_valid():
        return _summary_page(request, opinion, form, status=400)
    services.summary_signer_set(
        request=opinion,
        by=request.user,
        title=form.cleaned_data["summary_signer_title"],
        name=form.cleaned_data["summary_signer_name"],
    )
    messages.success(request, _("Đã lưu người ký bảng tổng hợp."))
    return redirect("opinions:summary", pk=opinion.pk)


def _download_name(opinion: OpinionRequest, suffix: str) -> str:
    return (slugify(opinion.title, allow_unicode=True)[:60] or "lay-y-kien") + suffix


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


@require_GET
@login_required
def summary_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opinion = _request(request, pk, "opinions.export_summary")
    doc = exports.layout(selectors.summary_for(opinion))
    return _download(
        exports.docx(doc),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _download_name(opinion, "-tong-hop.docx"),
    )


@require_GET
@login_required
def summary_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opinion = _request(request, pk, "opinions.export_summary")
    doc = exports.layout(selectors.summary_for(opinion))
    return _download(exports.pdf(doc), "application/pdf", _download_name(opinion, "-tong-hop.pdf"))


@require_GET
@login_required
@answers_503_when_storage_down
def attachment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    item = get_object_or_404(Attachment.objects.select_related("request"), pk=pk)
    if not request.user.has_perm("opinions.view_request", item.request):
        raise Http404
    return file_response(
        request,
        storage=item.file.storage,
        name=item.file.name,
        size=item.file_size,
        filename=item.file_name,
        content_type=item.file_type,
        etag=item.file_sha256,
    )
