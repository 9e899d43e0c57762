from typing import Any

from django import template

from documents.models import Document

from ..models import VersionText

register = template.Library()


@register.inclusion_tag("doctext/_document_line.html")
def text_status(document: Document) -> dict[str, Any]:
    """The document page's line about its text: one small query, without the text itself."""
    row = None
    if document.current_id is not None:
        row = (
            VersionText.objects.filter(version_id=document.current_id)
            .only("status", "pages", "truncated")
            .first()
        )
    return {"document": document, "text_row": row}
