"""The meeting page's action groups: links that other apps' tags write are kept aside so that an
empty group (nothing to do after the meeting, for this person) is not shown at all."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> str:
        written: SafeString = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        context[self.name] = written
        return ""


@register.tag
def capture(parser: Any, token: Any) -> CaptureNode:
    """{% capture as name %}...{% endcapture %}: the block's output, rendered once, as `name`."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("{% capture as name %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
