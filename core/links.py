"""Links to a view with a few ids, made once per process: `link("attendance:reply", 12)` is
`reverse("attendance:reply", args=[12])`, kept.

Why: Django's `reverse` tries the view's patterns and checks the result against them on every
call, 40-90 microseconds with this project's URLs (measured on the 2-core development machine);
a unit's dashboard makes one for each of its fifty rows to do, 4 % of its time in Python
(sampled under load at 100 000 meetings). A link depends only on the view, its arguments, the
URLs in force (the resolver, which Django makes anew when they change), the script prefix and
the language, all part of the key, so a kept link is never stale."""

from collections.abc import Hashable
from functools import lru_cache

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import translation

# A dashboard's rows, a list's page: a few thousand links a process at most.
KEPT = 8192


@lru_cache(maxsize=KEPT)
def _kept(
    viewname: str, args: tuple[Hashable, ...], _resolver: object, _prefix: str, _lang: str | None
) -> str:
    return reverse(viewname, args=list(args))


def link(viewname: str, *args: Hashable) -> str:
    """The view's URL with these arguments, from the memo when made before."""
    return _kept(
        viewname,
        args,
        get_resolver(get_urlconf()),
        get_script_prefix(),
        translation.get_language(),
    )
