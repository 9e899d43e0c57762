"""The offline reader's part of every signed-in page (base.html): the banner shown without a
network and what offline.js says, in the page's language, rendered once per process for each
language and minute through the memo of fragments (core.fragments); about thirty translated
sentences turned into JSON were otherwise written again for every page."""

from typing import Any

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from core.fragments import fragment
from offline.context_processors import strings

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_banner(context: template.Context) -> SafeString | str:
    """The banner and the strings, for a page of an account that keeps pages offline."""
    if not context.get("offline_account"):
        return ""
    return fragment("offline/_banner.html", at=str(context.get("offline_saved_at", "")))


@register.simple_tag
def offline_strings() -> Any:
    """The sentences of offline.js as a JSON script element (rendered inside the kept banner)."""
    return json_script(strings(), "offline-strings")
