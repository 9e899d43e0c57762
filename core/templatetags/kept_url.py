"""`{% url %}` with its links made once per process (core.links.kept_reverse): a builtin of every
template (config.settings TEMPLATES), loaded after Django's own tags and so in place of theirs.
The tag is Django's, parsed by Django; only the reverse is kept."""

from typing import Any

from django import template
from django.template import defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from core.links import kept_reverse

register = template.Library()


class KeptURLNode(defaulttags.URLNode):
    def render(self, context: Any) -> str:
        # As URLNode.render (Django 5.2), the reverse kept.
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = kept_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> KeptURLNode:
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
