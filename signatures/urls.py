from django.urls import path

from . import views

app_name = "signatures"

# The download first: its "ban-da-ky" would otherwise be taken for a kind to sign.
urlpatterns = [
    path("ky-so/ban-da-ky/<int:pk>/", views.download, name="download"),
    path("ky-so/<str:key>/<int:pk>/", views.sign, name="sign"),
]
