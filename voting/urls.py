from django.urls import URLPattern

app_name = "voting"

urlpatterns: list[URLPattern] = []
