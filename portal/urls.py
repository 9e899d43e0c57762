from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("huong-dan/", views.help_page, name="help"),
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
]
