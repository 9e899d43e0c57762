from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("cuoc-hop/<int:pk>/cu-nguoi-du/", views.reply, name="reply"),
    path("cuoc-hop/<int:pk>/diem-danh/", views.rollcall, name="rollcall"),
    path("cuoc-hop/<int:pk>/diem-danh/<int:invitation_pk>/", views.mark, name="mark"),
    path("cuoc-hop/<int:pk>/so-lieu-du-hop/", views.figures, name="figures"),
    path("cuoc-hop/<int:pk>/bao-cao-chu-tri/", views.chair_report, name="chair_report"),
    path("cuoc-hop/<int:pk>/ma-qr-diem-danh/", views.check_in_code, name="check_in_code"),
    path("cuoc-hop/<int:pk>/quet-diem-danh/<str:token>/", views.check_in, name="check_in"),
    path("thong-ke/du-hop/", views.unit_figures, name="unit_figures"),
]
