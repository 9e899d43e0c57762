"""The text read from a document (B3), a part at a time, with the words searched for marked."""

from django.contrib.auth.decorators import login_required
from django.db.models.functions import Length, Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from core.shortcuts import get_object_for
from core.text import fold
from documents.models import Document

from .models import VersionText
from .selectors import highlight

PART_CHARS = 50_000


def _part(request: HttpRequest, parts: int) -> int:
    raw = request.GET.get("phan", "1")
    number = int(raw) if raw.isdigit() else 1
    return min(max(number, 1), max(parts, 1))


@require_GET
@login_required
def document_text(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = get_object_for(
        request.user,
        "doctext.view_text",
        Document.objects.select_related("meeting", "current"),
        pk=pk,
        meeting__deleted_at__isnull=True,
    )
    rows = VersionText.objects.filter(version_id=document.current_id).defer("text", "folded")
    row = rows.annotate(length=Length("text")).first()
    length = row.length if row else 0
    parts = (length + PART_CHARS - 1) // PART_CHARS
    part = _part(request, parts)
    text = ""
    if row is not None and length:
        text = (
            VersionText.objects.filter(pk=row.pk)
            .annotate(part=Substr("text", (part - 1) * PART_CHARS + 1, PART_CHARS))
            .values_list("part", flat=True)
            .get()
        )
    words = fold(request.GET.get("q", "")).split()[:10]
    return render(
        request,
        "doctext/text.html",
        {
            "document": document,
            "meeting": document.meeting,
            "row": row,
            "length": length,
            "text": highlight(text, words) if words else text,
            "part": part,
            "parts": parts,
            "part_range": range(1, parts + 1),
            "q": request.GET.get("q", ""),
        },
    )
