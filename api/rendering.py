"""The API's JSON as written: Vietnamese in UTF-8 ("Hội nghị"), not escaped ("H\\u1ed9i"), which
a person reading a log, a response in a terminal or a program's debugger can read; always
application/json; charset=utf-8. The operations' answers (the renderer), the answers written by
hand and the OpenAPI description all go through here."""

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

CONTENT_TYPE = "application/json; charset=utf-8"
DUMPS: Mapping[str, Any] = {"ensure_ascii": False}


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = DUMPS


def json_response(data: Any, *, status: int = 200) -> JsonResponse:
    """An answer written outside an operation's return value, as the renderer writes one."""
    return JsonResponse(
        data,
        status=status,
        safe=False,
        encoder=NinjaJSONEncoder,
        json_dumps_params=dict(DUMPS),
        content_type=CONTENT_TYPE,
    )


def _openapi_json(request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> JsonResponse:
    return json_response(api.get_openapi_schema(path_params=kwargs))


class Utf8NinjaAPI(NinjaAPI):
    """django-ninja serves its OpenAPI description with an escaping JsonResponse of its own;
    here the same URL (its name kept, so the docs page finds it) answers through json_response."""

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if getattr(pattern, "name", None) == "openapi-json":
                pattern.callback = partial(_openapi_json, api=self)
        return patterns, app_name, namespace
