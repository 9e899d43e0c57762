from django.urls import path

from . import security_views, sso_views, views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", views.SignOutView.as_view(), name="logout"),
    # Single sign-on (accounts.sso): 404 while no provider is configured.
    path("dang-nhap/sso/", sso_views.SingleSignOnStartView.as_view(), name="sso_start"),
    path("dang-nhap/sso/ve/", sso_views.SingleSignOnCallbackView.as_view(), name="sso_callback"),
    path("doi-mat-khau/", views.ChangePasswordView.as_view(), name="password_change"),
    path("tai-khoan/", views.account, name="account"),
    # Two-factor sign-in and sessions (B8).
    path("xac-thuc-hai-buoc/", security_views.two_factor_verify, name="two_factor_verify"),
    path("xac-thuc-hai-buoc/dang-ky/", security_views.two_factor_setup, name="two_factor_setup"),
    path(
        "xac-thuc-hai-buoc/ma-du-phong/",
        security_views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("xac-thuc-hai-buoc/tat/", security_views.two_factor_remove, name="two_factor_remove"),
    path("phien/<int:pk>/dang-xuat/", security_views.session_end, name="session_end"),
    path(
        "phien/dang-xuat-noi-khac/",
        security_views.sessions_end_others,
        name="sessions_end_others",
    ),
]
