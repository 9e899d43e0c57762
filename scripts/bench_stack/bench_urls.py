"""The product's URLs plus /__bare__/, a Django view that returns two bytes through the whole
middleware stack, and /__empty__/, a signed-in page with nothing in it (base.html: the menu, its
to-do count, the bell), both served by the same gunicorn as the pages they are compared with."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

EMPTY = engines["django"].from_string('{% extends "base.html" %}{% block content %}{% endblock %}')


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def empty(request: HttpRequest) -> HttpResponse:
    return HttpResponse(EMPTY.render({}, request))


urlpatterns = [
    path("__bare__/", bare),
    path("__empty__/", empty),
    path("", include("config.urls")),
]
