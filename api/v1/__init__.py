"""Version 1 of the REST API (B4) for document-management systems, the provincial integration
platform and mobile apps: JSON under /api/v1/, a personal access token per caller, and the same
selectors, rules and services as the pages. The OpenAPI 3 description is built from the types."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from .. import errors
from ..rendering import Utf8JSONRenderer, Utf8NinjaAPI
from . import account, documents, meetings, packs


class LocalSwagger(DocsBase):
    """Swagger UI from our own static files (npm's swagger-ui-dist), started by a script file:
    no CDN, and nothing inline for the Content-Security-Policy to refuse."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "dom_id": "#swagger-ui",
            "deepLinking": True,
            "validatorUrl": None,
            "persistAuthorization": False,
        }
        return render(request, "api/docs.html", {"api": api, "swagger_settings": settings})


# Tags and operation ids in ASCII, since client generators make module and function names of
# them (openapi-python-client: "meetings", list_meetings); the Vietnamese names are the tags'
# descriptions and x-displayName, which Swagger UI and ReDoc show (docs/api.md).
TAGS = [
    {"name": "account", "x-displayName": "Tài khoản", "description": "Tài khoản"},
    {"name": "meetings", "x-displayName": "Cuộc họp", "description": "Cuộc họp"},
    {"name": "documents", "x-displayName": "Tài liệu", "description": "Tài liệu"},
]

api = Utf8NinjaAPI(
    title="Họp không giấy – API",
    version="1",
    description=str(
        _(
            "API cho hệ thống quản lý văn bản, nền tảng tích hợp của tỉnh và ứng dụng di động. "
            "Mỗi yêu cầu gửi tiêu đề Authorization: Bearer <mã truy cập>; mã được tạo ở trang "
            "Tài khoản → API và mang quyền của tài khoản đã tạo nó."
        )
    ),
    urls_namespace="api_v1",
    docs=LocalSwagger(),
    docs_url="/docs/",
    openapi_url="/openapi.json",
    renderer=Utf8JSONRenderer(),
    openapi_extra={"tags": TAGS},
)
errors.install(api)
api.add_router("", account.router)
api.add_router("", meetings.router)
api.add_router("", documents.router)
api.add_router("", packs.router)
