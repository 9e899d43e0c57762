"""core.http.polled: the one way a fragment polled by htmx answers an empty 304."""

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from core.http import polled

calls: list[str] = []


def _load(request: HttpRequest, pk: int) -> dict[str, int]:
    calls.append("load")
    return {"pk": pk, "version": int(request.GET.get("v", "1"))}


@polled(load=_load, etag_of=lambda request, row: f"row-{row['pk']}-{row['version']}")
def fragment(request: HttpRequest, row: dict[str, int]) -> HttpResponse:
    calls.append("view")
    return HttpResponse(f"row {row['pk']} version {row['version']}")


def test_the_first_poll_gets_the_fragment_its_tag_and_no_shared_cache():
    calls.clear()
    response = fragment(RequestFactory().get("/"), pk=7)
    assert response.status_code == 200 and response.content == b"row 7 version 1"
    assert response["ETag"] == '"row-7-1"'
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert calls == ["load", "view"]  # loaded once: the view receives what the tag was made of


def test_an_unchanged_fragment_is_an_empty_304_without_rendering():
    calls.clear()
    request = RequestFactory().get("/", headers={"if-none-match": '"row-7-1"'})
    response = fragment(request, pk=7)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == '"row-7-1"'
    assert "no-cache" in response["Cache-Control"]
    assert calls == ["load"]


def test_a_changed_fragment_is_sent_again_with_its_new_tag():
    request = RequestFactory().get("/?v=2", headers={"if-none-match": '"row-7-1"'})
    response = fragment(request, pk=7)
    assert response.status_code == 200 and response.content == b"row 7 version 2"
    assert response["ETag"] == '"row-7-2"'
