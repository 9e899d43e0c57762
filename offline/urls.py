from django.urls import path

from . import views

app_name = "offline"

urlpatterns = [
    # From the root: a service worker's scope is the folder it is served from.
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("ngoai-tuyen/cuoc-hop/<int:pk>/", views.meeting_keep_list, name="keep_list"),
    path("ngoai-tuyen/cuoc-hop/<int:pk>/tron-bo/", views.pack_reader, name="pack_reader"),
    path("ngoai-tuyen/kiem-tra/", views.keep_check, name="check"),
]
