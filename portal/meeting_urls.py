from django.urls import path

from documents import views as documents

from . import meeting_views as views

app_name = "meetings"
urlpatterns = [
    path("cuoc-hop/", views.meeting_list, name="list"),
    path("cuoc-hop/tao-moi/", views.meeting_create, name="create"),
    path("cuoc-hop/<int:pk>/", views.meeting_detail, name="detail"),
    path("cuoc-hop/<int:pk>/sua/", views.meeting_edit, name="edit"),
    path("cuoc-hop/<int:pk>/phat-hanh/", views.meeting_publish, name="publish"),
    path("cuoc-hop/<int:pk>/hoan/", views.meeting_postpone, name="postpone"),
    path("cuoc-hop/<int:pk>/huy/", views.meeting_cancel, name="cancel"),
    path("cuoc-hop/<int:pk>/xoa/", views.meeting_delete, name="delete"),
    path("cuoc-hop/<int:pk>/sao-chep/", views.meeting_copy, name="copy"),
    path("cuoc-hop/<int:pk>/lap-lai/", views.meeting_repeat, name="repeat"),
    path("cuoc-hop/<int:pk>/phat-hanh-chuoi/", views.series_publish, name="series_publish"),
    path("cuoc-hop/<int:pk>/thanh-phan-moi/", views.meeting_invitees, name="invitees"),
    path("cuoc-hop/<int:pk>/theo-doi-nhan/", views.meeting_receipts, name="receipts"),
    path("cuoc-hop/<int:pk>/giay-moi/", views.print_invitation, name="print_invitation"),
    path("cuoc-hop/<int:pk>/giay-moi.pdf", views.invitation_pdf, name="invitation_pdf"),
    path("cuoc-hop/<int:pk>/giay-moi.docx", views.invitation_docx, name="invitation_docx"),
    path("cuoc-hop/<int:pk>/danh-muc-tai-lieu/", views.print_documents, name="print_documents"),
    path("cuoc-hop/<int:meeting_pk>/tai-lieu/them/", documents.document_add, name="add_documents"),
    path("cuoc-hop/<int:meeting_pk>/tai-lieu.zip", documents.download_all, name="download_all"),
    path("lich-hop/", views.public_schedule, name="schedule"),
    path("lich-hop/<int:pk>/", views.public_meeting, name="public_detail"),
]
