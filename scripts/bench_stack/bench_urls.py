"""The product's URLs plus /__bare__/: a Django view that returns two bytes through the whole
middleware stack, served by the same gunicorn as the pages it is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bare__/", bare), path("", include("config.urls"))]
