from django.urls import path, register_converter

from . import views


class ModelKey:
    """ "<app_label>.<model_name>", as the registry names a signable kind."""

    regex = r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ModelKey, "model_key")

app_name = "signatures"

urlpatterns = [
    path("ky-so/ban-da-ky/<int:pk>/", views.download, name="download"),
    path("ky-so/<model_key:key>/<int:pk>/", views.sign, name="sign"),
]
