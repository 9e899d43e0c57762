"""Links to a view with a few ids, made once per process: `link("attendance:reply", 12)` is
`reverse("attendance:reply", args=[12])`, kept; and the templates' `{% url %}` the same way
(core.templatetags.kept_url, a builtin of every template in place of Django's own tag).

Why: Django's `reverse` tries the view's patterns and checks the result against them on every
call, 40-90 microseconds with this project's URLs (measured on the 2-core development machine);
a unit's dashboard makes one for each of its fifty rows to do, 4 % of its time in Python
(sampled under load at 100 000 meetings). A link depends only on the view, its arguments, the
URLs in force (the resolver, which Django makes anew when they change), the script prefix and
the language, all part of the key, so a kept link is never stale. A meeting's page makes about
sixty with `{% url %}`, 17 % of its time in Python. A view name or argument that matches no URL
raises NoReverseMatch each time, as reverse does (nothing is kept of it)."""

from collections.abc import Hashable, Sequence
from functools import lru_cache
from typing import Any

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import translation

# A dashboard's rows, a list's page: a few thousand links a process at most.
KEPT = 8192


def link(viewname: str, *args: Hashable) -> str:
    """The view's URL with these arguments, from the memo when made before."""
    return kept_reverse(viewname, args, {}, None)


@lru_cache(maxsize=KEPT)
def _kept_reversed(
    viewname: str,
    args: tuple[Hashable, ...],
    kwargs: tuple[tuple[str, Hashable], ...],
    current_app: str | None,
    _resolver: object,
    _prefix: str,
    _lang: str | None,
) -> str:
    return reverse(viewname, args=list(args), kwargs=dict(kwargs), current_app=current_app)


def kept_reverse(
    viewname: Any, args: Sequence[Any], kwargs: dict[str, Any], current_app: str | None
) -> str:
    """`reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)`, from the memo
    when made before; made each time for a view given as a callable or arguments that are not
    plain values (they could change after being kept)."""
    values = [*args, *kwargs.values()]
    if not isinstance(viewname, str) or not all(type(v) in PLAIN for v in values):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    return _kept_reversed(
        viewname,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_resolver(get_urlconf()),
        get_script_prefix(),
        translation.get_language(),
    )


# The arguments kept as they are: a link made of them depends on their value alone.
PLAIN = (int, str)
