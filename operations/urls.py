from django.urls import path

from . import views

app_name = "operations"

# Paths without a trailing slash, as monitoring tools expect them; MonitoringMiddleware knows
# them by name (MONITORING_URL_NAMES).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
]
