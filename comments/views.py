"""Comment pages (C1), the live list (C2), the summary and its exports."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.http import polled
from core.polling import Watch
from documents.storage import answers_503_when_storage_down
from documents.streaming import file_response
from meetings import polling as polls
from meetings.models import Meeting
from meetings.shortcuts import meeting_for

from . import exporting, services
from .forms import CommentForm, SummaryForm
from .models import Comment, Summary


@require_http_methods(["GET", "POST"])
@login_required
def comment_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "comments.view_comments")
    user: User = request.user
    form = CommentForm(request.POST or None, request.FILES or None, meeting=meeting)
    status = 200
    if request.method == "POST":
        if not user.has_perm("comments.add_comment", meeting):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.comment_add(
                    meeting=meeting,
                    by=user,
                    body=form.cleaned_data["body"],
                    document=form.cleaned_data["document"],
                    uploaded=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_error("file" if error.code in FILE_CODES else "body", error)
            else:
                messages.success(request, _("Đã gửi ý kiến góp ý."))
                return redirect("comments:list", pk=meeting.pk)
        status = 400
    return render(
        request,
        "comments/list.html",
        {
            "meeting": meeting,
            "comments": exporting.comments_of(meeting),
            "form": form,
            "open": services.comments_open(meeting),
            "may_summarise": user.has_perm("comments.write_summary", meeting),
            "may_export": user.has_perm("comments.export_comments", meeting),
            "now": timezone.now(),
        },
        status=status,
    )


FILE_CODES = {"empty", "too_large", "extension", "content_mismatch", "storage_unavailable"}


def _feed_meeting(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    return meeting_for(request, pk, "comments.view_comments")


def _feed_watch(request: AuthenticatedHttpRequest, meeting: Meeting) -> Watch:
    """What the list shows changes only with its comments, the reader (their own may be edited)
    and the language."""
    return polls.watch(request, meeting, "comments", part="feed")


@require_GET
@login_required
@polled(load=_feed_meeting, watch=_feed_watch)
def feed(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    """The list alone, polled every 2 seconds by the comments page: works behind nginx and with
    several app processes, since the comments' version is kept in the shared cache. When nothing
    changed the answer is an empty 304 (the browser revalidates with If-None-Match by itself)."""
    return render(
        request,
        "comments/_list.html",
        {"meeting": meeting, "comments": exporting.comments_of(meeting), "now": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def comment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("meeting"), pk=pk)
    if not request.user.has_perm("comments.view_comments", comment.meeting):
        raise Http404
    if not request.user.has_perm("comments.change_comment", comment):
        raise PermissionDenied
    form = SummaryForm(request.POST or None, initial={"body": comment.body})
    form.fields["body"].label = _("Ý kiến góp ý")
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                comment=comment,
                by=request.user,
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Đã sửa ý kiến."))
            return redirect("comments:list", pk=comment.meeting_id)
    return render(request, "comments/edit.html", {"comment": comment, "form": form})


@require_GET
@login_required
@answers_503_when_storage_down
def comment_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    comment = get_object_or_404(Comment.objects.select_related("meeting"), pk=pk)
    if not comment.file or not request.user.has_perm("comments.view_comments", comment.meeting):
        raise Http404
    return file_response(
        request,
        storage=comment.file.storage,
        name=comment.file.name,
        size=comment.file_size,
        filename=comment.file_name,
        content_type=comment.file_type,
        etag=comment.file_sha256,
    )


@require_http_methods(["GET", "POST"])
@login_required
def summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "comments.write_summary")
    existing = Summary.objects.filter(meeting=meeting).first()
    form = SummaryForm(request.POST or None, initial={"body": existing.body if existing else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_save(
                meeting=meeting,
                by=request.user,
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Đã lưu tổng hợp ý kiến."))
            return redirect("comments:list", pk=meeting.pk)
    return render(
        request,
        "comments/summary.html",
        {"meeting": meeting, "form": form, "comments": exporting.comments_of(meeting)},
    )


def _name(meeting: Meeting, ext: str) -> str:
    return (slugify(meeting.title, allow_unicode=True)[:60] or "y-kien") + f"-tong-hop.{ext}"


@require_GET
@login_required
def export_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "comments.export_comments")
    response = HttpResponse(exporting.summary_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(True, _name(meeting, "pdf")) or "attachment"
    )
    return response


@require_GET
@login_required
def export_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "comments.export_comments")
    import docx

    data = exporting.export_context(meeting)
    document = docx.Document()
    document.add_heading(_("TỔNG HỢP Ý KIẾN GÓP Ý"), level=1)
    document.add_paragraph(meeting.title)
    document.add_paragraph(timezone.localtime(meeting.start_at).strftime("%H:%M %d/%m/%Y"))
    if data["summary"]:
        document.add_heading(_("Tổng hợp"), level=2)
        for line in data["summary"].body.splitlines():
            document.add_paragraph(line)
    document.add_heading(_("Ý kiến góp ý"), level=2)
    for n, comment in enumerate(data["comments"], start=1):
        who = comment.author.get_full_name()
        if comment.unit:
            who += f" – {comment.unit.name}"
        when = timezone.localtime(comment.created_at).strftime("%H:%M %d/%m/%Y")
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{n}. {who} ({when})").bold = True
        if comment.document:
            document.add_paragraph(_("Về tài liệu: %s") % comment.document.title)
        document.add_paragraph(comment.body)
    out = io.BytesIO()
    document.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        content_disposition_header(True, _name(meeting, "docx")) or "attachment"
    )
    return response
