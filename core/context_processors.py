from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "DOCUMENT_MAX_UPLOAD_MB": settings.DOCUMENT_MAX_UPLOAD_MB,
    }
