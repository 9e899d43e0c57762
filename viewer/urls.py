from django.urls import path

from . import views

app_name = "viewer"

urlpatterns = [
    path("tai-lieu/<int:pk>/doc/", views.document_viewer, name="document"),
    path("tai-lieu/phien-ban/<int:pk>/doc/", views.version_viewer, name="version"),
    path("tai-lieu/phien-ban/<int:pk>/pdf/", views.version_pdf, name="pdf"),
    path("tai-lieu/phien-ban/<int:pk>/chuyen-doi/", views.conversion_status, name="status"),
]
