from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from accounts.http import AuthenticatedHttpRequest
from core.shortcuts import get_object_for

from .forms import FeedbackForm
from .models import Feedback
from .selectors import feedback_of
from .services import feedback_submit


@login_required
@permission_required("feedback.add_feedback", raise_exception=True)
@require_http_methods(["GET", "POST"])
def feedback_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own feedback, and the form to send more."""
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        page = request.POST.get("page_url", "")
        if not url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()}):
            page = ""
        feedback_submit(author=request.user, page_url=page, **form.cleaned_data)
        messages.success(request, _("Cảm ơn bạn. Góp ý đã được gửi tới quản trị hệ thống."))
        return redirect("feedback:list")
    return render(
        request,
        "feedback/list.html",
        {"form": form, "items": feedback_of(request.user), "page_url": request.GET.get("from", "")},
    )


@login_required
@require_http_methods(["GET"])
def feedback_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    feedback = get_object_for(
        request.user,
        "feedback.view_feedback",
        Feedback.objects.select_related("author", "answered_by"),
        pk=pk,
    )
    return render(request, "feedback/detail.html", {"feedback": feedback})
