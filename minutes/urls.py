from django.urls import path, re_path

from . import views

app_name = "minutes"

urlpatterns = [
    path("cuoc-hop/<int:pk>/bien-ban/", views.minutes_detail, name="detail"),
    path("cuoc-hop/<int:pk>/bien-ban/lap/", views.minutes_start, name="start"),
    path("cuoc-hop/<int:pk>/bien-ban/sua/", views.minutes_edit, name="edit"),
    path("cuoc-hop/<int:pk>/bien-ban/lap-lai/", views.minutes_regenerate, name="regenerate"),
    path("cuoc-hop/<int:pk>/bien-ban/phe-duyet/", views.minutes_approve, name="approve"),
    path("cuoc-hop/<int:pk>/bien-ban/tra-lai/", views.minutes_return, name="return"),
    path(
        "cuoc-hop/<int:pk>/bien-ban/phien-ban/<int:number>/",
        views.minutes_version,
        name="version",
    ),
    re_path(
        r"^cuoc-hop/(?P<pk>[0-9]+)/bien-ban\.(?P<ext>pdf|docx)$",
        views.minutes_export,
        name="export",
    ),
    re_path(
        r"^cuoc-hop/(?P<pk>[0-9]+)/bien-ban/phien-ban/(?P<number>[0-9]+)\.(?P<ext>pdf|docx)$",
        views.minutes_version_export,
        name="version_export",
    ),
]
