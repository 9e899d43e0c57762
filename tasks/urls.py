from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("cuoc-hop/<int:pk>/thong-bao-ket-luan/moi/", views.notice_create, name="notice_create"),
    path("thong-bao-ket-luan/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("thong-bao-ket-luan/<int:pk>/sua/", views.notice_edit, name="notice_edit"),
    path("thong-bao-ket-luan/<int:pk>/ban-hanh/", views.notice_issue, name="notice_issue"),
    path("thong-bao-ket-luan/<int:pk>/thong-bao.pdf", views.notice_pdf, name="notice_pdf"),
    path("thong-bao-ket-luan/<int:pk>/thong-bao.docx", views.notice_docx, name="notice_docx"),
    path("nhiem-vu/", views.board, name="board"),
    path("nhiem-vu/excel/", views.board_xlsx, name="board_xlsx"),
    path("nhiem-vu/van-phong/", views.office_board, name="office_board"),
    path("nhiem-vu/van-phong/excel/", views.office_board_xlsx, name="office_board_xlsx"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="detail"),
    path("nhiem-vu/<int:pk>/bao-cao/", views.task_report, name="report"),
    path("nhiem-vu/<int:pk>/xac-nhan/", views.task_accept, name="accept"),
    path("nhiem-vu/<int:pk>/tra-lai/", views.task_return, name="return"),
    path("nhiem-vu/tep/<int:pk>/", views.task_file, name="file"),
]
