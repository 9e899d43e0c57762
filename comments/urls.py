from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("cuoc-hop/<int:pk>/y-kien/", views.comment_list, name="list"),
    path("cuoc-hop/<int:pk>/y-kien/danh-sach/", views.feed, name="feed"),
    path("cuoc-hop/<int:pk>/tong-hop-y-kien/", views.summary, name="summary"),
    path("cuoc-hop/<int:pk>/tong-hop-y-kien.pdf", views.export_pdf, name="export_pdf"),
    path("cuoc-hop/<int:pk>/tong-hop-y-kien.docx", views.export_docx, name="export_docx"),
    path("y-kien/<int:pk>/sua/", views.comment_edit, name="edit"),
    path("y-kien/<int:pk>/tep/", views.comment_file, name="file"),
]
