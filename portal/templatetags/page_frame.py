"""The frame of every page (base.html): its stylesheets and scripts, the menu bar and the footer,
rendered once per process for the same values through the memo of fragments (core.fragments).

Why: written by the template engine for every request, the frame alone was most of a signed-in
page's cost when the page holds little (about 2 ms of an empty page's 3.7: a hundred nodes,
fourteen addresses reversed, fifty sentences translated). Its content depends on few things: the
account's role and unit, the answers of the rules the menu shows, the to-do and unread counts,
the language. Those are the fragment's values, so a change of any is another fragment and
nothing is ever stale. What changes with every request (the forms' CSRF token, the page's own
address in the language form and the feedback link) and with every account (its name) is put
into the kept text afterwards in place of markers that no value can hold (a NUL character: no
text the product stores or accepts has one, core.middleware.RefuseNulBytesMiddleware)."""

from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import urlencode
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.fragments import fragment

register = template.Library()

CSRF_INPUT = mark_safe("\x00csrf\x00")  # noqa: S308 (a marker, replaced before the page is sent)
NEXT = mark_safe("\x00next\x00")  # noqa: S308
CAME_FROM = mark_safe("\x00from\x00")  # noqa: S308
# The account's name: put in afterwards too, so that the accounts of one role, unit and menu
# share one kept menu (a hall of 500 voters opening the ballot page rendered 500 menus).
NAME = mark_safe("\x00name\x00")  # noqa: S308

# The rules the menu asks, by the fragment's value that holds each answer.
MENU_RULES = {
    "office_board": "tasks.view_office_board",
    "unit_board": "tasks.view_unit_board",
    "opinions_sent": "opinions.view_sent",
    "statistics": "reports.view_statistics",
    "login_log": "reports.view_login_log",
    "exports": "exports.view_list",
    "feedback": "feedback.add_feedback",
}


def _called(value: Any) -> Any:
    # The context processors give the counts as callables, counted only by a page that shows them.
    return value() if callable(value) else value


@register.simple_tag(takes_context=True)
def page_assets(context: template.Context) -> SafeString:
    return fragment("portal/_page_assets.html", offline=bool(context.get("offline_account")))


@register.simple_tag
def page_footer() -> SafeString:
    return fragment(
        "portal/_footer.html",
        organisation_name=str(settings.ORGANISATION_NAME),
        site_name=str(settings.SITE_NAME),
    )


@register.simple_tag(takes_context=True)
def menu_bar(context: template.Context) -> SafeString:
    request = context.get("request")
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    pending = bool(getattr(request, "two_factor_pending", False))
    signed_in = (
        authenticated and not getattr(request, "password_change_required", False) and not pending
    )
    values: dict[str, Any] = {
        "site_name": str(settings.SITE_NAME),
        "authenticated": authenticated,
        "signed_in": signed_in,
        "second_factor_pending": pending,
        "csrf_input": CSRF_INPUT,
        "next": NEXT,
        "came_from": CAME_FROM,
    }
    if authenticated:
        unit = user.unit if user.unit_id else None  # type: ignore[union-attr]
        values |= {
            "short_name": NAME,
            "role": str(user.get_role_display()),  # type: ignore[union-attr]
            "unit": (unit.short_name or unit.name) if unit else "",
        }
    if signed_in:
        values |= {
            "todo": int(_called(context.get("todo_count", 0)) or 0),
            "unread": int(_called(context.get("inbox_unread", 0)) or 0),
            "staff": bool(user.is_staff),  # type: ignore[union-attr]
        }
        values |= {name: user.has_perm(rule) for name, rule in MENU_RULES.items()}  # type: ignore[union-attr]
    kept = fragment("portal/_menu_bar.html", **values)
    path = request.get_full_path() if request is not None else ""
    name = user.get_short_name() if authenticated else ""  # type: ignore[union-attr]
    return mark_safe(  # noqa: S308 (the kept text, and in it what each marker stands for, escaped)
        kept.replace(CSRF_INPUT, CsrfTokenNode().render(context))
        .replace(NAME, conditional_escape(name))
        .replace(NEXT, conditional_escape(path))
        .replace(CAME_FROM, conditional_escape(urlencode(request.path if request else "")))
    )
