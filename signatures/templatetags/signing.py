"""Signature tags for other apps' pages: the sign box of a registered record, the check of a
document's current version, and the small badge in a meeting's document list."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.db.models import Model
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .. import registry, selectors

register = template.Library()

BADGE = '<span class="badge text-bg-{}"><i class="bi bi-{}" aria-hidden="true"></i> {}</span>'


@register.inclusion_tag("signatures/_sign_box.html", takes_context=True)
def sign_box(context: template.Context, obj: Model) -> dict[str, Any]:
    """Signed state for whoever sees the page; the "Ký số" button for those who may sign."""
    request = context.get("request")
    user = getattr(request, "user", None)
    entry = registry.entry_for(obj) if obj is not None else None
    if entry is None or user is None:
        return {"entry": None}
    return {
        "entry": entry,
        "object": obj,
        "record": selectors.signed_pdf(obj),
        "may_sign": user.has_perm(entry.may_sign, obj),
        "request": request,
    }


@register.inclusion_tag("signatures/_check.html")
def signature_check(document: Any) -> dict[str, Any]:
    """What the check found in the document's current version; nothing for an unsigned one."""
    return {"check": selectors.check_of(getattr(document, "current_id", None))}


@register.simple_tag
def signature_counts(documents: Iterable[Any]) -> dict[int, dict[str, int]]:
    """Once per list: `{% signature_counts documents as counts %}`; a meeting's documents' from
    the query kept for its meeting."""
    documents = list(documents)
    meetings = {getattr(d, "meeting_id", None) for d in documents}
    meeting_id = meetings.pop() if len(meetings) == 1 else None
    versions = [d.current_id for d in documents if d.current_id]
    return selectors.signature_counts(versions, meeting_id=meeting_id)


@register.simple_tag
def signature_badge(counts: dict[int, dict[str, int]], document: Any) -> SafeString | str:
    entry = counts.get(getattr(document, "current_id", None) or 0)
    if not entry:
        return ""
    if entry["fine"] == entry["total"]:
        return format_html(BADGE, "success", "patch-check", _("Có chữ ký số"))
    return format_html(BADGE, "warning", "exclamation-triangle", _("Chữ ký số cần xem lại"))
