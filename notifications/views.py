"""The in-app inbox (M5): what the units' "check four times a day" duty looks at."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.http import polled
from meetings.selectors import may_see

from . import channels, services
from .context_processors import unread_count
from .forms import NoticeChannelsForm
from .models import Event, Notification, OutboxMessage


@require_GET
@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    user: User = request.user
    notifications = Notification.objects.filter(user=user).select_related("event", "event__meeting")
    unread_only = request.GET.get("chua-doc") == "1"
    if unread_only:
        notifications = notifications.unread()
    page = Paginator(notifications, 30).get_page(request.GET.get("trang"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_only": unread_only, "Kind": Event.Kind},
    )


def _bell_etag(request: AuthenticatedHttpRequest, unread: int) -> str:
    return f"{request.user.pk}-{get_language()}-{unread}"


@require_GET
@login_required
@polled(load=unread_count, etag_of=_bell_etag)
def bell(request: AuthenticatedHttpRequest, unread: int) -> HttpResponse:
    """The bell alone, for htmx to refresh it every minute; an empty 304 while the count stays
    (the template shows the same count, kept on the request by the context processor)."""
    return render(request, "notifications/_bell.html")


@require_POST
@login_required
def open_notification(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Marks one line read and goes to its meeting (or back to the inbox when the account may no
    longer open the meeting, e.g. after its invitation was withdrawn)."""
    notification = get_object_or_404(
        Notification.objects.select_related("event__meeting"), pk=pk, user=request.user
    )
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    meeting = notification.event.meeting
    if meeting is None:  # a notice of another capability: its page checks access itself
        link = notification.event.link
        if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
            return redirect(link)
        return redirect("notifications:inbox")
    if meeting.is_deleted or not may_see(request.user, meeting):
        messages.info(request, _("Cuộc họp này không còn mở được với tài khoản của bạn."))
        return redirect("notifications:inbox")
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
@login_required
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = Notification.objects.unread().filter(user=request.user).update(read_at=timezone.now())
    if count:
        messages.success(
            request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count}
        )
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def channels_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """How the account receives each kind of notice: e-mail, SMS or both (the inbox always)."""
    user: User = request.user
    sms_enabled = channels.enabled(OutboxMessage.Channel.SMS)
    initial = {f"kind_{k}": v for k, v in services.notice_channels_of(user).items()}
    form = NoticeChannelsForm(
        request.POST or None, initial={"phone": user.phone, **initial}, sms_enabled=sms_enabled
    )
    if request.method == "POST" and form.is_valid():
        services.notice_channels_set(
            user=user, choices=form.choices(), phone=form.cleaned_data["phone"]
        )
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notifications:channels")
    return render(
        request, "notifications/channels.html", {"form": form, "sms_enabled": sms_enabled}
    )
