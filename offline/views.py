"""Reading anywhere, even offline: the web app's manifest, its service worker, and what a device
keeps of a meeting (the keep-list) and may go on keeping (the check after reconnecting).

The device does the keeping (static/js/offline.js and the service worker, static/js/offline-sw.js,
built on Workbox); the server only says what may be kept, for whom and until when."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from core.shortcuts import get_object_for
from meetings.models import Meeting
from meetings.shortcuts import meeting_for
from viewer.views import viewer_strings

from .selectors import MAX_CHECKED, keep_until, keepable_ids, meeting_pack, whole_pack

THEME_COLOUR = "#a4161a"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installed from the browser's menu, it opens on the dashboard."""
    icons = [
        {"src": static("img/app-icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        {"src": static("img/app-icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/app-icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/app-icon-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    response = JsonResponse(
        {
            "name": str(settings.SITE_NAME),
            "short_name": _("Họp không giấy"),
            "description": _("Tài liệu và chương trình cuộc họp, đọc cả khi không có mạng."),
            "lang": request.LANGUAGE_CODE,
            "start_url": reverse("portal:dashboard"),
            "scope": "/",
            "display": "standalone",
            "orientation": "any",
            "theme_color": THEME_COLOUR,
            "background_color": "#ffffff",
            "icons": icons,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site's root so that its scope covers every page. It loads
    Workbox's modules (npm, served as our static files) and our own worker code."""
    response = render(
        request, "offline/sw.js", content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    # The browser checks the worker for a new version on each navigation; never a stale one.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@login_required
def meeting_keep_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What the device keeps of a meeting: its page, and for each document the account reads the
    viewer's page, its PDF (stamped for restricted ones, when allowed) and its notes, with the
    version, so that the device fetches what changed when it is back online."""
    meeting = get_object_for(
        request.user, "meetings.view_meeting", Meeting.objects.all(), pk=pk, deleted_at__isnull=True
    )
    if timezone.now() > keep_until(meeting):
        return _private(
            JsonResponse(
                {
                    "error": _(
                        "Cuộc họp đã kết thúc quá %(days)d ngày: tài liệu không còn được lưu trên "
                        "máy để đọc ngoại tuyến."
                    )
                    % {"days": settings.OFFLINE_KEEP_DAYS}
                },
                status=410,
            )
        )
    return _private(JsonResponse(meeting_pack(request.user, meeting).as_json()))


@require_GET
@login_required
def keep_check(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The meetings a device keeps (?cuoc-hop=1,2,3), answered with those the account may still
    keep; the device removes the others (access lost, meeting deleted or past the days)."""
    raw = request.GET.get("cuoc-hop", "")
    ids: list[int] = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or len(part) > 12:
            return _private(
                JsonResponse({"error": _("Danh sách cuộc họp không hợp lệ.")}, status=400)
            )
        ids.append(int(part))
    if len(ids) > MAX_CHECKED:
        return _private(
            JsonResponse(
                {"error": _("Nhiều nhất %(n)d cuộc họp mỗi lần kiểm tra.") % {"n": MAX_CHECKED}},
                status=400,
            )
        )
    keep = keepable_ids(request.user, ids)
    return _private(JsonResponse({"keep": keep, "drop": sorted(set(ids) - set(keep))}))


@require_GET
@login_required
def pack_reader(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The reader's meeting pack in our viewer: the page a device keeps with the pack, so that
    the whole set opens without a network. While the pack is not ready, where to ask for it."""
    meeting = meeting_for(request, pk, "packs.view_pack")
    whole = whole_pack(request.user, meeting)
    assert whole is not None
    ready = whole["state"] == "ready"
    return render(
        request,
        "offline/pack_reader.html",
        {
            "meeting": meeting,
            "whole": whole,
            "pdf_url": whole["url"] if ready else None,
            "supports_range": True,
            "viewer_panels": [],
            "viewer_strings": viewer_strings(),
        },
    )
