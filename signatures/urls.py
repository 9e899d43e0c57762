from django.urls import path

from . import views

app_name = "signatures"

urlpatterns = [
    path("ky-so/<str:key>/<int:pk>/", views.sign, name="sign"),
    path("ky-so/tai-ve/<int:pk>/", views.download, name="download"),
]
