from django.urls import path

from . import views

app_name = "notes"

urlpatterns = [
    path("ghi-chu/", views.my_notes, name="mine"),
    path("ghi-chu/ghi-chu-cua-toi.pdf", views.export_pdf, name="export_pdf"),
    path("ghi-chu/ghi-chu-cua-toi.docx", views.export_docx, name="export_docx"),
    path("ghi-chu/tai-lieu/<int:pk>/", views.document_notes, name="document"),
    path("ghi-chu/<int:pk>/sua/", views.note_update, name="update"),
    path("ghi-chu/<int:pk>/xoa/", views.note_delete, name="delete"),
]
