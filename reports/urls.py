from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("thong-ke/", views.statistics, name="statistics"),
    path("thong-ke/in/", views.statistics_print, name="statistics_print"),
    path("thong-ke/thong-ke.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("thong-ke/thong-ke.pdf", views.statistics_pdf, name="statistics_pdf"),
    path("thong-ke/bao-cao-su-dung/", views.usage, name="usage"),
    path("thong-ke/bao-cao-su-dung/in/", views.usage_print, name="usage_print"),
    path("thong-ke/bao-cao-su-dung.xlsx", views.usage_xlsx, name="usage_xlsx"),
    path("thong-ke/bao-cao-su-dung.pdf", views.usage_pdf, name="usage_pdf"),
    path("thong-ke/nhat-ky-dang-nhap/", views.login_log, name="login_log"),
    path("thong-ke/nhat-ky-dang-nhap.xlsx", views.login_log_xlsx, name="login_log_xlsx"),
]
