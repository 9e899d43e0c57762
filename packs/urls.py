from django.urls import path

from . import views

app_name = "packs"
urlpatterns = [
    path("cuoc-hop/<int:meeting_pk>/tron-bo/", views.pack_state, name="state"),
    path("cuoc-hop/<int:meeting_pk>/tron-bo/chuan-bi/", views.pack_prepare, name="prepare"),
    path("cuoc-hop/<int:meeting_pk>/tron-bo.pdf", views.pack_download, name="download"),
]
