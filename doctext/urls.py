from django.urls import path

from . import views

app_name = "doctext"

urlpatterns = [
    path("tai-lieu/<int:pk>/noi-dung/", views.document_text, name="text"),
]
