from django.urls import path

from . import views

app_name = "opinions"

urlpatterns = [
    path("lay-y-kien/", views.waiting, name="waiting"),
    path("lay-y-kien/da-gui/", views.sent, name="sent"),
    path("lay-y-kien/tao/", views.create, name="create"),
    path("lay-y-kien/<int:pk>/", views.detail, name="detail"),
    path("lay-y-kien/<int:pk>/sua/", views.edit, name="edit"),
    path("lay-y-kien/<int:pk>/gui/", views.send, name="send"),
    path("lay-y-kien/<int:pk>/ket-thuc/", views.close, name="close"),
    path("lay-y-kien/<int:pk>/tra-loi/", views.answer, name="answer"),
    path("lay-y-kien/<int:pk>/tong-hop/", views.summary, name="summary"),
    path("lay-y-kien/<int:pk>/tong-hop.docx", views.summary_docx, name="summary_docx"),
    path("lay-y-kien/<int:pk>/tong-hop.pdf", views.summary_pdf, name="summary_pdf"),
    path("lay-y-kien/tep/<int:pk>/", views.attachment, name="file"),
]
