from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/sua/", views.document_edit, name="edit"),
    path("<int:pk>/thay-phien-ban/", views.document_replace, name="replace"),
    path("<int:pk>/xoa/", views.document_delete, name="delete"),
    path("<int:pk>/noi-dung-hop/", views.document_set_agenda_item, name="set_agenda_item"),
    path("<int:pk>/tai-ve/", views.download, name="download"),
    path("phien-ban/<int:pk>/tai-ve/", views.download_version, name="download_version"),
    path("phien-ban/<int:pk>/dau-chim.pdf", views.watermarked_pdf, name="watermarked_pdf"),
]
