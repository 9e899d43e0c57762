from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("thong-bao/", views.inbox, name="inbox"),
    path("thong-bao/chuong/", views.bell, name="bell"),
    path("thong-bao/<int:pk>/mo/", views.open_notification, name="open"),
    path("thong-bao/da-doc-tat-ca/", views.mark_all_read, name="mark_all_read"),
    path("thong-bao/cach-nhan/", views.channels_settings, name="channels"),
]
