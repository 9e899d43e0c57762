from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("ket-xuat/", views.export_list, name="list"),
    path("ket-xuat/de-nghi/", views.export_create, name="create"),
    path("ket-xuat/<int:pk>/", views.export_detail, name="detail"),
    path("ket-xuat/<int:pk>/quyet-dinh/", views.export_decide, name="decide"),
    path("ket-xuat/<int:pk>/tai-ve.zip", views.export_download, name="download"),
]
