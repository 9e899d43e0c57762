from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.i18n import set_language

from accounts.views import SignInView
from api.v1 import api as api_v1

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = _("Quản trị hệ thống")
admin.site.site_url = "/bang-dieu-khien/"

urlpatterns = [
    # The admin signs in through the product's own page: same lockout, log and forced change.
    path("admin/login/", SignInView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("tai-khoan/", include("accounts.urls")),
    path("tai-khoan/api/", include("api.urls")),
    path("api/v1/", api_v1.urls),
    path("gop-y/", include("feedback.urls")),
    path("tai-lieu/", include("documents.urls")),
    path("", include("portal.meeting_urls")),
    path("", include("attendance.urls")),
    path("", include("comments.urls")),
    path("", include("voting.urls")),
    path("", include("room.urls")),
    path("", include("viewer.urls")),
    path("", include("packs.urls")),
    path("", include("notes.urls")),
    path("", include("doctext.urls")),
    path("", include("minutes.urls")),
    path("", include("tasks.urls")),
    path("", include("opinions.urls")),
    path("", include("signatures.urls")),
    path("", include("notifications.urls")),
    path("", include("calendars.urls")),
    path("", include("exports.urls")),
    path("", include("reports.urls")),
    path("", include("portal.urls")),
    path("", include("offline.urls")),
    # /healthz, /readyz, /metrics for the monitoring (operations.middleware guards them).
    path("", include("operations.urls")),
    path(
        "favicon.ico",
        RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg", permanent=True),
        name="favicon",
    ),
]
